#!/usr/bin/env node
/**
 * `npm run stack`: the dev stack's servers alone (the account service, Kamailio, the update server with a signed
 * dev release), for running the app or tests against them yourself. Ctrl-C stops everything. The code is
 * scripts/lib/stack.ts, shared with `npm start`; ports and folders are in docs/service.md.
 */
import { tsImport } from 'tsx/esm/api'

// As in start.mjs: a busy port or a running copy is said before the rest of the stack loads or anything is made.
const { refusalBeforeStart } = await tsImport('./lib/preflight.ts', import.meta.url)
const refusal = await refusalBeforeStart()
if (refusal) {
  process.stderr.write(`${refusal}\n`)
  process.exit(1)
}
const { runStack } = await tsImport('./lib/stack.ts', import.meta.url)
const { processesFromArgs } = await tsImport('./lib/stack-scale.ts', import.meta.url)
// `npm run stack -- --processes 2`: two service processes behind HAProxy on PostgreSQL (docs/scaling.md).
let processes
try {
  processes = processesFromArgs(process.argv.slice(2))
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
}
await runStack({ withApp: false, command: 'npm run stack', processes })
