/**
 * Disposes app brains, waiting at most `ms`: one that takes longer is named on the log instead of failing the
 * test on its cleanup. Some app brains have, in CI runs, taken over a minute to dispose (cause not yet found: a
 * known open defect, see the issue notes; a line stop that waited SIP's 32 s per unanswered step was one cause and
 * is fixed), which ran past vitest's hook timeout. Several apps are disposed at once, so a suite's cleanup is
 * bounded by `ms` however many it opened.
 */
import { settleWithin } from '../../src/shared/settle-within'
import type { TestApp } from './test-app'

export async function disposeWithin(app: TestApp['app'], ms: number, label: string): Promise<void> {
  const disposed = app.dispose()
  if (!(await settleWithin(disposed, ms)))
    console.warn(`${label}: the app did not dispose within ${ms / 1000} s`)
  // In time: a dispose that failed fails the cleanup, as before.
  else await disposed
}

/** disposeWithin for every app at once. */
export async function disposeAllWithin(
  apps: readonly TestApp['app'][],
  ms: number,
  label: string
): Promise<void> {
  await Promise.all(apps.map((app, i) => disposeWithin(app, ms, `${label}: app ${i}`)))
}
