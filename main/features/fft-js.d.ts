// Types for fft.js (MIT), which ships none. Only what this folder uses.
declare module 'fft.js' {
  export default class FFT {
    constructor(size: number);
    readonly size: number;
    createComplexArray(): number[];
    /** Fills bins 0..size/2 of `output` (interleaved re, im) from a real `input` of `size` samples. */
    realTransform(output: ArrayLike<number> & { [i: number]: number }, input: ArrayLike<number>): void;
    completeSpectrum(spectrum: ArrayLike<number> & { [i: number]: number }): void;
    transform(output: ArrayLike<number> & { [i: number]: number }, input: ArrayLike<number>): void;
  }
}
