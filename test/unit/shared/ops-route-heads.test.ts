/**
 * The ops CLI's route heads (src/shared/ops/route-heads.ts) are derived from the ops route table: the file must be
 * exactly what scripts/lib/ops-route-heads.ts writes from the table now, and the CLI must start without zod.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { ROUTE_HEADS_FILE, routeHeadsSource } from '../../../scripts/lib/ops-route-heads'
import { OPS_ROUTES } from '../../../src/shared/ops/routes'
import { OPS_ROUTE_HEADS } from '../../../src/shared/ops/route-heads'

describe('the ops route heads', () => {
  it('are what the route table gives (run `node --import tsx scripts/ops-route-heads.ts` when not)', async () => {
    const file = resolve(ROUTE_HEADS_FILE)
    expect(readFileSync(file, 'utf8')).toBe(await routeHeadsSource(file))
  })

  it('name every route of the table with its method and path', () => {
    expect(Object.keys(OPS_ROUTE_HEADS).sort()).toEqual(Object.keys(OPS_ROUTES).sort())
    for (const [name, r] of Object.entries(OPS_ROUTES)) {
      const head = OPS_ROUTE_HEADS[name as keyof typeof OPS_ROUTE_HEADS]
      expect([head.method, head.path, head.body], name).toEqual([
        r.method,
        r.path,
        r.method !== 'GET' && r.input !== null
      ])
    }
  })

  it('keep zod out of what `dialtone-ops` loads for every command but bootstrap', async () => {
    const out = await build({
      entryPoints: ['src/server/ops/cli/main.ts'],
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      packages: 'external',
      outdir: 'out/test-ops/heads-check',
      write: false,
      metafile: true,
      logLevel: 'error'
    })
    const outputs = out.metafile.outputs
    const main = Object.entries(outputs).find(([, o]) => o.entryPoint === 'src/server/ops/cli/main.ts')
    expect(main).toBeDefined()
    const [, entry] = main as [string, (typeof outputs)[string]]
    // What the entry loads before any command runs: itself and the chunks it imports statically.
    const loaded = [
      entry,
      ...entry.imports.filter((i) => i.kind === 'import-statement' && !i.external).map((i) => outputs[i.path])
    ]
    const packages = loaded.flatMap((o) => o?.imports.filter((i) => i.external).map((i) => i.path) ?? [])
    expect(packages.filter((p) => p === 'zod' || p.startsWith('zod/'))).toEqual([])
    // The check sees the packages it must: the CLI's own outside imports are there.
    expect(packages.some((p) => p.startsWith('node:'))).toBe(true)
  })
})
