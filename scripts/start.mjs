#!/usr/bin/env node
/**
 * `npm start`: the whole dev stack on its embedded defaults (the account service, Kamailio, the update server with
 * a signed dev release), then the app wired to it: Electron when its binary is installed, else the web host, which
 * prints the address to open. Ctrl-C stops everything. The code is scripts/lib/stack.ts, shared with `npm run stack`.
 */
import { tsImport } from 'tsx/esm/api'

const { runStack } = await tsImport('./lib/stack.ts', import.meta.url)
await runStack({ withApp: true, command: 'npm start' })
