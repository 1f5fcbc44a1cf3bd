/** A part of a language's words (scripts/vite-locale-split.ts): `./locales/<code>.json?first` or `?later`. */
declare module '*.json?first' {
  const words: Record<string, unknown>
  export default words
}
declare module '*.json?later' {
  const words: Record<string, unknown>
  export default words
}
