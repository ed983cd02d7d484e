// DCT-II with orthonormal scaling (scipy.fft.dct(type=2, norm='ortho')), the MFCC transform of librosa.

/** Row-major [nOut][n] matrix: X[k] = s_k · Σ_n x[n] · cos(π k (2n + 1) / 2N), s_0 = √(1/N), s_k = √(2/N). */
export function orthonormalDctMatrix(n: number, nOut: number = n): Float64Array {
  const matrix = new Float64Array(nOut * n);
  for (let k = 0; k < nOut; k++) {
    const scale = k === 0 ? Math.sqrt(1 / n) : Math.sqrt(2 / n);
    for (let i = 0; i < n; i++) matrix[k * n + i] = scale * Math.cos((Math.PI * k * (2 * i + 1)) / (2 * n));
  }
  return matrix;
}
