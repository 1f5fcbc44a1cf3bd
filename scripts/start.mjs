#!/usr/bin/env node
/**
 * `npm start`: the whole dev stack on its embedded defaults (the account service, Kamailio, the update server with
 * a signed dev release), then the app wired to it: Electron when its binary is installed, else the web host, which
 * prints the address to open. Ctrl-C stops everything. The code is scripts/lib/stack.ts, shared with `npm run stack`.
 */
import { tsImport } from 'tsx/esm/api'

// `npm start -- --virtual-dongle`: the app shows the virtual dongle whatever its setting says; nothing else is taken.
// Without the `--`, npm keeps the flag for itself and hands it over as npm_config_virtual_dongle: taken too.
const extra = process.argv.slice(2).filter((a) => a !== '--virtual-dongle')
if (extra.length > 0) {
  process.stderr.write(
    `The only option npm start takes is --virtual-dongle, with no value, not ${extra.map((a) => JSON.stringify(a)).join(' ')}: ports and folders are set with variables (docs/service.md).\n`
  )
  process.exit(1)
}
const virtualDongle =
  process.argv.includes('--virtual-dongle') || process.env.npm_config_virtual_dongle === 'true'
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
  virtualDongle
})
