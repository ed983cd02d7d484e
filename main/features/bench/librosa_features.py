"""Times librosa's melspectrogram + power_to_db + mfcc on a raw float32 file, with the parameters of a
VoiceVault preset. Python start-up and imports are outside the timing; the first run is a warm-up.
Prints one JSON object: {"median_s": ..., "runs_s": [...]}."""
import json
import sys
import time

import librosa
import numpy as np

path, sr, n_fft, win_length, hop, n_mels, n_mfcc, f_max, runs = sys.argv[1:10]
y = np.fromfile(path, dtype="<f4")
sr, n_fft, win_length, hop, n_mels, n_mfcc, runs = map(int, (sr, n_fft, win_length, hop, n_mels, n_mfcc, runs))
f_max = float(f_max)


def features():
    S = librosa.feature.melspectrogram(
        y=y, sr=sr, n_fft=n_fft, win_length=win_length, hop_length=hop, window="hann", center=True,
        pad_mode="constant", power=2.0, n_mels=n_mels, fmin=0.0, fmax=f_max, htk=False, norm="slaney",
    )
    log_mel = librosa.power_to_db(S, ref=1.0, amin=1e-10, top_db=80.0)
    mfcc = librosa.feature.mfcc(S=log_mel, n_mfcc=n_mfcc, dct_type=2, norm="ortho")
    return S, log_mel, mfcc


features()
times = []
for _ in range(runs):
    start = time.perf_counter()
    features()
    times.append(time.perf_counter() - start)
print(json.dumps({"median_s": float(np.median(times)), "runs_s": times}))
