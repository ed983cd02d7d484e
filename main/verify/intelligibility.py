"""What the stored features give back: Griffin-Lim (librosa's inverse helpers, 64 iterations) rebuilds
audio from a stored log-mel and from stored MFCCs, and STOI scores it against the clip, next to noise
at the clip's level. Griffin-Lim is a weak attacker (a neural vocoder does better): lower bounds.

stdin: {"clips": [{"name", "audio", "log_mel", "mfcc"}], "iterations": 64, "seed": 0}
  audio: the clip (any rate; loaded at the features' rate), log_mel / mfcc: safetensors files as stored.
  With "librosa": true instead, the features are librosa's own (melspectrogram, power_to_db, mfcc) with
  the parameters in the stored files' metadata: the cross-check that a figure is not an artefact of ours.
stdout: one JSON object {"clips": [{"name", "seconds", "stoi_logmel", "stoi_mfcc", "stoi_noise"}]}.
"""
import json
import sys

import librosa
import numpy as np
from safetensors.numpy import load_file
from safetensors import safe_open

from stoi import stoi


def metadata(path):
    with safe_open(path, framework="numpy") as f:
        return f.metadata()


def griffin_lim_args(meta, iterations):
    return dict(
        sr=int(meta["sample_rate"]),
        n_fft=int(meta["n_fft"]),
        hop_length=int(meta["hop_length"]),
        win_length=int(meta["win_length"]),
        window="hann",
        center=True,
        pad_mode="constant",
        power=2.0,
        n_iter=iterations,
        fmin=float(meta["f_min"]),
        fmax=float(meta["f_max"]),
        htk=False,
        norm="slaney",
    )


def librosa_features(audio, meta):
    """librosa's own log-mel and MFCCs of `audio` with the stored features' parameters."""
    args = griffin_lim_args(meta, 0)
    for unused in ("n_iter", "htk", "norm"):
        args.pop(unused)
    mel = librosa.feature.melspectrogram(y=audio, n_mels=int(meta["n_mels"]), **args)
    log_mel_db = librosa.power_to_db(mel, ref=1.0, amin=1e-10, top_db=80.0)
    return log_mel_db, librosa.feature.mfcc(S=log_mel_db, n_mfcc=int(meta["n_mfcc"]), dct_type=2, norm="ortho")


def main():
    request = json.load(sys.stdin)
    iterations = int(request.get("iterations", 64))
    seed = int(request.get("seed", 0))
    out = []
    for clip in request["clips"]:
        log_meta = metadata(clip["log_mel"])
        mfcc_meta = metadata(clip["mfcc"])
        sr = int(log_meta["sample_rate"])
        audio, _ = librosa.load(clip["audio"], sr=sr, mono=True)
        length = len(audio)

        if request.get("librosa"):
            log_mel_db, mfcc = librosa_features(audio, log_meta)
        else:
            # Stored tensors are frame-major [n_frames, n]; librosa wants [n, n_frames].
            log_mel_db = load_file(clip["log_mel"])["log_mel_db"].astype(np.float64).T
            mfcc = load_file(clip["mfcc"])["mfcc"].astype(np.float64).T
        # Griffin-Lim starts from random phases (numpy's global generator): seeded, so runs repeat.
        np.random.seed(seed)
        mel_power = librosa.db_to_power(log_mel_db)  # stored as 10·log10(max(S, 1e-10)), reference 1
        from_log_mel = librosa.feature.inverse.mel_to_audio(mel_power, length=length, **griffin_lim_args(log_meta, iterations))

        np.random.seed(seed)
        # librosa's mfcc_to_audio in its two steps (its own signature cannot also take the mel filters' norm).
        mel_from_mfcc = librosa.feature.inverse.mfcc_to_mel(mfcc, n_mels=int(mfcc_meta["n_mels"]), dct_type=2, norm="ortho", ref=1.0, lifter=0)
        from_mfcc = librosa.feature.inverse.mel_to_audio(mel_from_mfcc, length=length, **griffin_lim_args(mfcc_meta, iterations))

        # White Gaussian noise at the clip's RMS: what "nothing intelligible" scores on this clip.
        noise = np.random.default_rng(seed).standard_normal(length)
        noise *= np.sqrt(np.mean(audio.astype(np.float64) ** 2) / np.mean(noise**2))

        out.append(
            {
                "name": clip["name"],
                "seconds": length / sr,
                "stoi_logmel": stoi(audio, from_log_mel, sr),
                "stoi_mfcc": stoi(audio, from_mfcc, sr),
                "stoi_noise": stoi(audio, noise, sr),
            }
        )
    json.dump({"clips": out}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
