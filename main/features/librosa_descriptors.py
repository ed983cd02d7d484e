"""librosa 0.11's own per-frame descriptors of the summary tier, and their statistics, for the tests in
summary.test.ts. Arguments: a JSON list of {"path", "n_fft", "win_length", "hop"}; prints one JSON list of
{descriptor: {"mean", "std", "p10", "p50", "p90", "frames"}} in the same order."""
import json
import sys

import librosa
import numpy as np
import soundfile

STATISTICS = {
    "mean": np.mean,
    "std": np.std,  # population std, ddof = 0
    "p10": lambda v: np.percentile(v, 10),
    "p50": lambda v: np.percentile(v, 50),
    "p90": lambda v: np.percentile(v, 90),
}


def describe(path, n_fft, win_length, hop):
    y, sr = soundfile.read(path, dtype="float32")
    spectral = dict(y=y, sr=sr, n_fft=n_fft, hop_length=hop, win_length=win_length, window="hann", center=True, pad_mode="constant")
    per_frame = {
        "rms": librosa.feature.rms(y=y, frame_length=n_fft, hop_length=hop, center=True, pad_mode="constant")[0],
        "zero_crossing_rate": librosa.feature.zero_crossing_rate(y, frame_length=n_fft, hop_length=hop, center=True)[0],
        "spectral_centroid_hz": librosa.feature.spectral_centroid(**spectral)[0],
        "spectral_rolloff_hz": librosa.feature.spectral_rolloff(**spectral, roll_percent=0.85)[0],
        "spectral_flatness": librosa.feature.spectral_flatness(
            y=y, n_fft=n_fft, hop_length=hop, win_length=win_length, window="hann", center=True, pad_mode="constant", amin=1e-10, power=2.0
        )[0],
    }
    out = {}
    for name, values in per_frame.items():
        values = values.astype(np.float64)
        out[name] = {stat: float(f(values)) for stat, f in STATISTICS.items()}
        out[name]["frames"] = int(values.shape[0])
    return out


print(json.dumps([describe(c["path"], c["n_fft"], c["win_length"], c["hop"]) for c in json.loads(sys.argv[1])]))
