/**
 * Test files that share one module registry and process per worker (the integration project in vitest.config.ts,
 * the journeys and the one-at-a-time media files in vitest.media.config.ts: `isolate: false`) must leave nothing
 * running: a timer, socket, server or child process a file leaves can fire during a later file as an uncaught
 * error, failing a file that did nothing wrong. This setup file makes the file that left it fail instead:
 * it counts the process's active resources (process.getActiveResourcesInfo: timers, sockets, servers, child
 * processes) before the file and after its own afterAll hooks, and fails the file on any kind there are more of.
 * Its first full runs found four (vitest.config.ts and vitest.media.config.ts name them).
 * Closing is asynchronous (a socket's close event, a child's exit), so it waits up to 3 s for the counts to settle.
 */
import { relative } from 'node:path'
import { afterAll, beforeAll, expect } from 'vitest'

const SETTLE_MS = 3_000

function counts(): Map<string, number> {
  const by = new Map<string, number>()
  for (const kind of process.getActiveResourcesInfo()) by.set(kind, (by.get(kind) ?? 0) + 1)
  return by
}

function more(now: Map<string, number>, before: Map<string, number>): string[] {
  return [...now]
    .filter(([kind, n]) => n > (before.get(kind) ?? 0))
    .map(([kind, n]) => `${n - (before.get(kind) ?? 0)} ${kind}`)
}

let before = new Map<string, number>()
let file = ''
beforeAll(() => {
  // The standard streams' handles are made when first used: made now, they are not counted as the file's.
  void process.stdout
  void process.stderr
  before = counts()
  file = relative(process.cwd(), expect.getState().testPath ?? '')
})

// Registered before the file's own hooks, so (vitest runs afterAll hooks in reverse) it runs after them.
afterAll(async () => {
  const deadline = Date.now() + SETTLE_MS
  let left = more(counts(), before)
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50))
    left = more(counts(), before)
  }
  if (left.length > 0)
    throw new Error(
      `${file} left running after its tests: ${left.join(', ')} (close what it opened: a server's accepted ` +
        `connections too, a timer, a child process)`
    )
})
