#!/usr/bin/env node
/**
 * The dev stack's 911 address test (933): `node scripts/address-test.mjs <port>` answers 933 calls from Kamailio on
 * udp 127.0.0.1:<port> and reads the caller's 911 address on record to them (espeak-ng). Started by the stack
 * (scripts/lib/stack-emergency.ts); the code is scripts/lib/address-test-service.ts.
 */
import { tsImport } from 'tsx/esm/api'

const { runAddressTestService } = await tsImport('./lib/address-test-service.ts', import.meta.url)
await runAddressTestService(process.argv.slice(2))
