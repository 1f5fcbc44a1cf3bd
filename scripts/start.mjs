#!/usr/bin/env node
/**
 * `npm start`: the whole dev stack on its embedded defaults (the account service, Kamailio, the update server with
 * a signed dev release), then the app wired to it: Electron when its binary is installed, else the web host, which
 * prints the address to open. Ctrl-C stops everything. The code is scripts/lib/stack.ts, shared with `npm run stack`.
 */
import { tsImport } from 'tsx/esm/api'

// `npm start -- --virtual-dongle`: the app shows the virtual dongle whatever its setting says; nothing else is taken.
const extra = process.argv.slice(2).filter((a) => a !== '--virtual-dongle')
if (extra.length > 0) {
  process.stderr.write(
    `The only option npm start takes is --virtual-dongle, not ${extra.join(' ')}: set ports and folders with variables (docs/service.md).\n`
  )
  process.exit(1)
}
// The checks first, from two small files: a busy port or a running copy is said in a second, before loading the
// rest of the stack (seconds of TypeScript on a busy machine) and before creating anything. runStack checks again.
const { refusalBeforeStart } = await tsImport('./lib/preflight.ts', import.meta.url)
const refusal = await refusalBeforeStart()
if (refusal) {
  process.stderr.write(`${refusal}\n`)
  process.exit(1)
}
const { runStack } = await tsImport('./lib/stack.ts', import.meta.url)
await runStack({
  withApp: true,
  command: 'npm start',
  virtualDongle: process.argv.includes('--virtual-dongle')
})
