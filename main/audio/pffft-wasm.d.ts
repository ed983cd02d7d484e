// The package ships no type declarations; resample-fft.ts describes the part of its module it uses.
declare module '@echogarden/pffft-wasm/simd' {
  const createPffft: () => Promise<unknown>;
  export default createPffft;
}
