// Vite's `?worker&url` import: the URL of a separately bundled worker (here the capture worklet).
declare module '*?worker&url' {
  const url: string;
  export default url;
}
