/**
 * Run by test/integration/disk-full.test.ts inside a private mount namespace whose data folder is a tiny tmpfs:
 * an app brain on the real conf store there, a setting saved, the disk filled, then a change tried. Prints one
 * JSON line with what happened, for the test to check.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { call } from '../../src/main/ipc/dispatcher'
import { createConfStore } from '../../src/main/store/conf-store'
import { DialtoneError } from '../../src/shared/ipc/errors'
import { testApp } from './test-app'

const dir = process.argv[2] ?? ''
const t = testApp({ store: createConfStore(dir) })
t.app.start()
await call(t.app.dispatch, 'app.settings.set', { theme: 'dark' })
// Fill the disk: write until the filesystem refuses.
let filled = 0
try {
  for (;;) writeFileSync(join(dir, `fill-${filled++}`), Buffer.alloc(4096))
} catch (err) {
  if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err
}
let refused: { code: string; message: string } | null = null
try {
  await call(t.app.dispatch, 'app.settings.set', { theme: 'light', tonePlan: 'cept' })
} catch (err) {
  if (!(err instanceof DialtoneError)) throw err
  refused = { code: err.code, message: err.message }
}
const after = createConfStore(dir).get('settings') as { theme?: string; tonePlan?: string }
const info = await call(t.app.dispatch, 'app.info', undefined)
process.stdout.write(JSON.stringify({ refused, after, stillAnswering: info.name === 'Dialtone' }) + '\n')
await t.app.dispose()
