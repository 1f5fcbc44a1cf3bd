/**
 * Rewrites the permission table in docs/ops.md from src/shared/ops/permissions.ts (the one source of truth):
 * `node --import tsx scripts/ops-docs.ts`. test/unit/server/ops-permissions.test.ts fails when they differ.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { permissionsMarkdown } from '../src/shared/ops/permissions'

const file = resolve(import.meta.dirname, '..', 'docs', 'ops.md')
const doc = readFileSync(file, 'utf8')
const next = doc.replace(
  /(<!-- permissions:start -->\n)[\s\S]*?(\n<!-- permissions:end -->)/,
  `$1${permissionsMarkdown()}$2`
)
if (next === doc) process.stdout.write('docs/ops.md is up to date\n')
else {
  writeFileSync(file, next)
  process.stdout.write('docs/ops.md: permission table rewritten\n')
}
