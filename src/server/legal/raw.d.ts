/** A text file imported whole (`import text from './x.md?raw'`): Vite and vitest inline it as a string. */
declare module '*.md?raw' {
  const text: string
  export default text
}
