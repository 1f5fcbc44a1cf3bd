/**
 * Rewrites src/shared/ops/route-heads.ts from the ops route table (scripts/lib/ops-route-heads.ts says what it
 * holds and why): `node --import tsx scripts/ops-route-heads.ts`, after a route is added or changed.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { ROUTE_HEADS_FILE, routeHeadsSource } from './lib/ops-route-heads'

const file = resolve(import.meta.dirname, '..', ROUTE_HEADS_FILE)
const next = await routeHeadsSource(file)
let now = ''
try {
  now = readFileSync(file, 'utf8')
} catch {
  // Not written yet.
}
if (next === now) process.stdout.write(`${ROUTE_HEADS_FILE} is up to date\n`)
else {
  writeFileSync(file, next)
  process.stdout.write(`${ROUTE_HEADS_FILE} rewritten\n`)
}
