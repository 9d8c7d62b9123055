/** Vite's `?url` import of a file in resources/: the URL of the copied asset (vite build, assetsInlineLimit 0). */
declare module '*.wav?url' {
  const url: string;
  export default url;
}
