#!/usr/bin/env node
/**
 * `npm run carrier-call -- <number>`: a simulated carrier calls a Dialtone number (a DID) through the running dev
 * stack (`npm start` / `npm run stack`), from the one address the carrier table lets in, with caller ID
 * +1 212 555 0142, and plays a 697 Hz tone for 30 s once answered. The code is scripts/lib/carrier-call.ts.
 */
import { tsImport } from 'tsx/esm/api'

const { carrierCall } = await tsImport('./lib/carrier-call.ts', import.meta.url)
process.exit(await carrierCall(process.argv.slice(2)))
