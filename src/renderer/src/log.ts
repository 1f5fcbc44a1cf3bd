/**
 * The renderer's one log: the browser console (DevTools in Electron, the page's console in the web host). A
 * promise deliberately not awaited ends in `void p.catch(logFailure('what'))`, so a failure is seen, not dropped.
 * What reaches here are the contract's errors (codes and English sentences), never secrets: those stay in main.
 */
export const logFailure =
  (what: string) =>
  (err: unknown): void => {
    console.error(`${what} failed`, err)
  }
