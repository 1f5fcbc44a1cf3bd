/**
 * The ops permission table is the one source of truth (issue 20): docs/ops.md shows exactly the table the code
 * renders, every ops route names a known permission, money and ownership permissions make their routes take a
 * reason, and a registry CSV's problems are named by line.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { PERMISSIONS, ROLES, allows, permissionsMarkdown } from '../../../src/shared/ops/permissions'
import { opsRoute } from '../../../src/shared/ops/route'
import { OPS_ROUTES } from '../../../src/shared/ops/routes'
import { parseRegistryCsv } from '../../../src/server/ops/registry-ops'
import { actionOf } from '../../../src/server/ops/http/serve-ops'
import { csvCell } from '../../../src/server/ops/audit-log'

describe('ops permissions', () => {
  it('docs/ops.md carries the table rendered from the code', () => {
    const doc = readFileSync(resolve('docs/ops.md'), 'utf8')
    const m = /<!-- permissions:start -->\n([\s\S]*?)\n<!-- permissions:end -->/.exec(doc)
    expect(m?.[1]).toBe(permissionsMarkdown())
  })

  it('least privilege: only admin manages operators; a till only activates cards', () => {
    for (const p of Object.keys(PERMISSIONS) as (keyof typeof PERMISSIONS)[])
      expect(ROLES.filter((r) => allows(r, p)).length).toBeGreaterThan(0)
    expect(ROLES.filter((r) => allows(r, 'operators.manage'))).toEqual(['admin'])
    expect(
      Object.keys(PERMISSIONS).filter((p) => allows('retail-partner', p as keyof typeof PERMISSIONS))
    ).toEqual(['vouchers.activate'])
  })

  it('every route names a permission of the table (or operator/public/signed), and its action name is unique', () => {
    const names = Object.keys(OPS_ROUTES)
    for (const r of Object.values(OPS_ROUTES))
      expect(['operator', 'public', 'signed'].includes(r.access) || r.access in PERMISSIONS).toBe(true)
    expect(new Set(names.map(actionOf)).size).toBe(names.length)
    expect(actionOf('opsVouchersExportPins')).toBe('vouchers-export-pins')
  })

  it('a route whose permission needs a reason cannot be defined without a required one', () => {
    const base = {
      method: 'POST',
      path: '/ops/v1/x',
      output: z.object({}),
      access: 'vouchers.ship',
      summary: 'x'
    } as const
    expect(() => opsRoute({ ...base, input: z.object({ batchId: z.string() }) })).toThrow(
      /needs a required reason/
    )
    expect(() => opsRoute({ ...base, input: z.object({ reason: z.string().optional() }) })).toThrow(
      /needs a required reason/
    )
    expect(() => opsRoute({ ...base, input: z.object({ reason: z.string().min(5) }) })).not.toThrow()
  })
})

describe('registry CSV', () => {
  it('names each malformed row by its line and keeps the good ones for the batch check', () => {
    const csv =
      'model,serial,public_key\n06e6:c200,A-1,key\n\n06e6:c200,only-two\n"q",b,c\n06e6:c200,A-2,key\n'
    const r = parseRegistryCsv(csv)
    expect(r.issues.map((i) => i.path)).toEqual(['csv:4', 'csv:5'])
    expect(r.lines).toEqual([2, 6])
  })

  it('wants the header and at least one row', () => {
    expect(parseRegistryCsv('serial,model,public_key\nx,y,z\n').issues[0]?.path).toBe('csv:1')
    expect(parseRegistryCsv('model,serial,public_key\n').issues[0]?.code).toBe('empty')
  })
})

describe('audit CSV cells', () => {
  it('quotes separators and defuses formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`)
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"')
    expect(csvCell(null)).toBe('')
  })
})
