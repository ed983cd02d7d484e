// Analysis windows. librosa and torchaudio both use the periodic ("DFT-even") Hann window, and centre a
// window shorter than n_fft inside the FFT frame with zeros either side.

export function periodicHann(length: number): Float64Array {
  const window = new Float64Array(length);
  for (let i = 0; i < length; i++) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / length);
  return window;
}

/** A periodic Hann of `winLength` centred in `nFft` samples. */
export function paddedPeriodicHann(winLength: number, nFft: number): Float64Array {
  if (winLength > nFft) throw new RangeError(`window length ${winLength} exceeds n_fft ${nFft}`);
  const padded = new Float64Array(nFft);
  padded.set(periodicHann(winLength), Math.floor((nFft - winLength) / 2));
  return padded;
}
