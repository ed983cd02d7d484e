"""Times librosa end to end on an audio file, as the training side would compute the speech16k features:
librosa.load(sr=16000, res_type="soxr_hq"), then melspectrogram + power_to_db + mfcc. Imports are outside the
timing; a one-second load first warms up soundfile and soxr. Prints one JSON object:
{"seconds": wall, "cpu_seconds": this process's CPU time (all threads), "frames": ...}."""
import json
import sys
import time

import librosa

path, n_fft, win_length, hop, n_mels, n_mfcc, f_max = sys.argv[1:8]
n_fft, win_length, hop, n_mels, n_mfcc = map(int, (n_fft, win_length, hop, n_mels, n_mfcc))
f_max = float(f_max)

librosa.load(path, sr=16000, res_type="soxr_hq", duration=1.0)
start = time.perf_counter()
cpu_start = time.process_time()
y, sr = librosa.load(path, sr=16000, res_type="soxr_hq")
S = librosa.feature.melspectrogram(
    y=y, sr=sr, n_fft=n_fft, win_length=win_length, hop_length=hop, window="hann", center=True,
    pad_mode="constant", power=2.0, n_mels=n_mels, fmin=0.0, fmax=f_max, htk=False, norm="slaney",
)
log_mel = librosa.power_to_db(S, ref=1.0, amin=1e-10, top_db=80.0)
mfcc = librosa.feature.mfcc(S=log_mel, n_mfcc=n_mfcc, dct_type=2, norm="ortho")
seconds = time.perf_counter() - start
cpu_seconds = time.process_time() - cpu_start
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "frames": int(mfcc.shape[-1])}))
