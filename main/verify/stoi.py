"""Short-Time Objective Intelligibility (STOI), from Taal, Hendriks, Heusdens and Jensen, "An Algorithm
for Intelligibility Prediction of Time-Frequency Weighted Noisy Speech", IEEE TASLP 19(7), 2011.

Written from the paper and its reference constants: 10 kHz, 256-sample Hann frames with 50 % overlap,
a 512-point FFT, 15 one-third-octave bands from 150 Hz, 30-frame (384 ms) segments, a -15 dB lower
bound on the signal-to-distortion ratio (clipping), and silent frames (40 dB below the loudest frame
of the clean signal) removed from both signals first. numpy and scipy only.
"""
from fractions import Fraction

import numpy as np
from scipy.signal import resample_poly

FS = 10_000
FRAME = 256
NFFT = 512
BANDS = 15
MIN_FREQ = 150.0
SEGMENT = 30
BETA_DB = -15.0
DYN_RANGE_DB = 40.0
EPS = np.finfo(np.float64).eps


def _hann(n):
    # MATLAB's hanning(n): symmetric, without the zero end points.
    return 0.5 * (1 - np.cos(2 * np.pi * np.arange(1, n + 1) / (n + 1)))


def third_octave_bands(fs=FS, nfft=NFFT, bands=BANDS, min_freq=MIN_FREQ):
    """A (bands × nfft/2+1) 0/1 matrix grouping DFT bins into one-third-octave bands."""
    freqs = np.linspace(0, fs, nfft + 1)[: nfft // 2 + 1]
    k = np.arange(bands)
    low = min_freq * 2.0 ** ((2 * k - 1) / 6)
    high = min_freq * 2.0 ** ((2 * k + 1) / 6)
    matrix = np.zeros((bands, len(freqs)))
    for band in range(bands):
        lo = int(np.argmin((freqs - low[band]) ** 2))
        hi = int(np.argmin((freqs - high[band]) ** 2))
        matrix[band, lo:hi] = 1
    return matrix


def _frame_starts(length, frame, hop):
    return range(0, length - frame, hop)


def remove_silent_frames(x, y, dyn_range=DYN_RANGE_DB, frame=FRAME, hop=FRAME // 2):
    """Drops the frames where the clean signal is more than dyn_range dB below its loudest frame."""
    window = _hann(frame)
    starts = list(_frame_starts(len(x), frame, hop))
    energy = np.array([20 * np.log10(np.linalg.norm(x[s : s + frame] * window) / np.sqrt(frame) + EPS) for s in starts])
    keep = [s for s, e in zip(starts, energy) if e - energy.max() + dyn_range > 0]
    out_len = (len(keep) - 1) * hop + frame if keep else 0
    x_out, y_out = np.zeros(out_len), np.zeros(out_len)
    for i, s in enumerate(keep):
        x_out[i * hop : i * hop + frame] += x[s : s + frame] * window
        y_out[i * hop : i * hop + frame] += y[s : s + frame] * window
    return x_out, y_out


def _stft_magnitude(x, frame=FRAME, nfft=NFFT):
    window = _hann(frame)
    starts = list(_frame_starts(len(x), frame, frame // 2))
    frames = np.array([x[s : s + frame] * window for s in starts]).reshape(len(starts), frame)
    return np.abs(np.fft.rfft(frames, n=nfft, axis=1)).T  # (bins, frames)


def _to_10k(x, fs):
    if fs == FS:
        return np.asarray(x, dtype=np.float64)
    ratio = Fraction(FS, int(fs))
    return resample_poly(np.asarray(x, dtype=np.float64), ratio.numerator, ratio.denominator)


def stoi(clean, degraded, fs):
    """Intelligibility of `degraded` relative to `clean` (same length and rate): about 0 (none) to 1."""
    clean = np.asarray(clean, dtype=np.float64)
    degraded = np.asarray(degraded, dtype=np.float64)
    if clean.shape != degraded.shape or clean.ndim != 1:
        raise ValueError(f"stoi needs two 1-D signals of one length, got {clean.shape} and {degraded.shape}")
    x, y = remove_silent_frames(_to_10k(clean, fs), _to_10k(degraded, fs))
    bands = third_octave_bands()
    x_bands = np.sqrt(bands @ _stft_magnitude(x) ** 2)
    y_bands = np.sqrt(bands @ _stft_magnitude(y) ** 2)
    frames = x_bands.shape[1]
    if frames < SEGMENT:
        raise ValueError(f"stoi needs at least {SEGMENT} non-silent frames (about 0.4 s of speech), got {frames}")
    clip = 1 + 10 ** (-BETA_DB / 20)
    scores = []
    for end in range(SEGMENT, frames + 1):
        x_seg = x_bands[:, end - SEGMENT : end]
        y_seg = y_bands[:, end - SEGMENT : end]
        # Per band: scale the degraded envelope to the clean one's energy, then bound the distortion.
        alpha = np.linalg.norm(x_seg, axis=1, keepdims=True) / (np.linalg.norm(y_seg, axis=1, keepdims=True) + EPS)
        y_prime = np.minimum(alpha * y_seg, clip * x_seg)
        xc = x_seg - x_seg.mean(axis=1, keepdims=True)
        yc = y_prime - y_prime.mean(axis=1, keepdims=True)
        scores.append((xc * yc).sum(axis=1) / (np.linalg.norm(xc, axis=1) * np.linalg.norm(yc, axis=1) + EPS))
    return float(np.mean(scores))


if __name__ == "__main__":
    # stdin: {"fs": 16000, "pairs": [{"clean": "a.f32", "degraded": "b.f32"}]}, raw float32 little-endian files.
    # stdout: {"scores": [...]}, one per pair. Used by the tests of this implementation.
    import json
    import sys

    request = json.load(sys.stdin)
    load = lambda path: np.fromfile(path, dtype="<f4")
    scores = [stoi(load(p["clean"]), load(p["degraded"]), int(request["fs"])) for p in request["pairs"]]
    json.dump({"scores": scores}, sys.stdout)
    sys.stdout.write("\n")
