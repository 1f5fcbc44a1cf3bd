/**
 * What an admin does with `dialtone-ops`, end to end on SQLite and PostgreSQL (issue 20): the real CLI process,
 * signed in as the first admin, against a started service. Operators and partners (a partner's key rotated, the old
 * one refused), the manufacturing registry (bad CSV rows named by line and nothing imported; a serial's history),
 * Re-Up cards (create, PINs exported once, ship, till activation by a partner key only for its own partner's
 * cards, block, report), and audit search and CSV export of all that. The tests run in order: the partners made
 * first are the ones the cards are shipped to, and the audit is searched for what the cards test did. Sign-in,
 * enrolment and the session file are ops-cli.test.ts.
 */
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { type OpsCli, auditEvents, firstAdmin, registryCsv, signedInCli } from '../../support/ops'

describe.each(BACKENDS)('dialtone-ops administration on %s', (backend) => {
  let svc: TestService
  let cli: OpsCli
  const admin = { email: 'root@ops.dialtone.test' }
  let partnerA = ''
  let partnerB = ''
  let keyA = ''
  let keyB = ''
  let batchId = ''
  let cards: { serial: string; pin: string }[] = []

  beforeAll(async () => {
    svc = await startTestService(backend)
    // Bootstrapped, enrolled and signed in as ops-cli.test.ts does through the CLI; here the CLI is what it runs.
    cli = await signedInCli(svc, await firstAdmin(svc, admin.email, 'Root Admin'))
  }, 60_000)
  afterAll(() => svc.close())

  const audit = (action: string) => auditEvents(svc, action)

  it('operators and partners: create, list, rotate a key (the old one stops working)', async () => {
    const a = await cli.json<{ partner: { id: string } }>([
      'partners',
      'create',
      '--name',
      'Corner Shop',
      '--kind',
      'retail'
    ])
    const b = await cli.json<{ partner: { id: string } }>([
      'partners',
      'create',
      '--name',
      'Mall Kiosk',
      '--kind',
      'retail'
    ])
    partnerA = a.partner.id
    partnerB = b.partner.id
    const fileA = join(cli.home, 'a.key')
    const first = await cli.json<{ apiKey: string }>(['partners', 'rotate-key', partnerA, '--out', fileA])
    expect(first.apiKey).toBe(`written to ${fileA}`)
    expect(statSync(fileA).mode & 0o777).toBe(0o600)
    const oldKey = readFileSync(fileA, 'utf8').trim()
    const second = await cli.json<{ apiKey: string; revoked: number }>(['partners', 'rotate-key', partnerA])
    expect(second.revoked).toBe(1)
    keyA = second.apiKey
    keyB = (await cli.json<{ apiKey: string }>(['partners', 'rotate-key', partnerB])).apiKey
    const keys = await svc.service.ctx.db.selectFrom('partner_keys').select('key_hash').execute()
    expect(JSON.stringify(keys)).not.toContain(keyA.slice(4))
    const stale = await cli.run(['whoami'], { DIALTONE_OPS_API_KEY_FILE: fileA })
    expect(stale.code).toBe(4)
    writeFileSync(fileA, keyA + '\n', { mode: 0o600 })
    const fresh = await cli.json<{ kind: string; role: string; partnerId: string }>(['whoami'], {
      DIALTONE_OPS_API_KEY_FILE: fileA
    })
    expect(fresh).toMatchObject({ kind: 'partner', role: 'retail-partner', partnerId: partnerA })
    expect(oldKey).not.toBe(keyA)

    const made = await cli.json<{ operator: { id: string; status: string }; enrolmentToken: string }>([
      'operators',
      'create',
      '--email',
      'billing@ops.dialtone.test',
      '--name',
      'Billie',
      '--role',
      'billing'
    ])
    expect(made.operator.status).toBe('pending')
    // The printed next step hands the token on in the variable, never on a command line npm would log.
    const told = await cli.run([
      'operators',
      'create',
      '--email',
      'support2@ops.dialtone.test',
      '--name',
      'Sam',
      '--role',
      'support'
    ])
    expect(told.code, told.stderr).toBe(0)
    expect(told.stdout).toMatch(/They run: DIALTONE_OPS_ENROL_TOKEN=<token> \S.* enrol\n/)
    expect(told.stdout).not.toContain('--token')
    const badRole = await cli.run([
      'operators',
      'create',
      '--email',
      'x@ops.dialtone.test',
      '--name',
      'X',
      '--role',
      'root'
    ])
    expect(badRole.code).toBe(3)
    const noPartner = await cli.run([
      'operators',
      'create',
      '--email',
      'till@ops.dialtone.test',
      '--name',
      'Till',
      '--role',
      'retail-partner'
    ])
    expect(noPartner.code).toBe(3)
    const list = await cli.run(['operators', 'list'])
    expect(list.code).toBe(0)
    expect(list.stdout).toMatch(/EMAIL\s+NAME\s+ROLE/)
    expect(list.stdout).toContain('billing@ops.dialtone.test')
    const partners = await cli.run(['partners', 'list'])
    expect(partners.stdout).toContain('Corner Shop')
  }, 120_000)

  it("registry import: bad rows are named by line and nothing is imported; then the good file, and a serial's history", async () => {
    const importArgs = (file: string) => [
      'registry',
      'import',
      file,
      '--batch',
      'F-2026-01',
      '--reason',
      'factory batch 1'
    ]
    const before = await svc.service.ctx.db.selectFrom('device_registry').select('serial').execute()
    const good = registryCsv(`F${backend.toUpperCase()}`, 5)
    const lines = good.trimEnd().split('\n')
    lines[2] = '06e6:c200,ONLY-TWO'
    lines[4] = `06e6:c200,bad serial!,${Buffer.alloc(32, 9).toString('base64')}`
    const badFile = join(cli.home, 'bad.csv')
    writeFileSync(badFile, lines.join('\n') + '\n')
    const bad = await cli.run(importArgs(badFile))
    expect(bad.code).toBe(3)
    expect(bad.stderr).toContain('line 3: expected 3 values')
    // Shape problems first; then the entries' own problems, each by its line.
    lines[2] = lines[1] ?? ''
    writeFileSync(badFile, lines.join('\n') + '\n')
    const dup = await cli.run(importArgs(badFile))
    expect(dup.code).toBe(3)
    expect(dup.stderr).toContain('line 5, serial:')
    expect(dup.stderr).toContain('line 3, serial: appears twice in this batch')
    const after = await svc.service.ctx.db.selectFrom('device_registry').select('serial').execute()
    expect(after.length).toBe(before.length)

    const goodFile = join(cli.home, 'good.csv')
    writeFileSync(goodFile, good)
    const noReason = await cli.run(['registry', 'import', goodFile, '--batch', 'F-2026-01'])
    expect(noReason.code).toBe(2)
    const ok = await cli.json<{ added: number }>(importArgs(goodFile))
    expect(ok.added).toBe(5)
    const serial = `F${backend.toUpperCase()}-0002`
    const show = await cli.run(['registry', 'show', serial])
    expect(show.code, show.stderr).toBe(0)
    expect(show.stdout).toContain('made')
    expect(show.stdout).toContain('factory batch F-2026-01')
    const unknown = await cli.run(['registry', 'show', 'NO-SUCH-SERIAL'])
    expect(unknown.code).toBe(6)
    const imported = await audit('registry-import')
    expect(imported.map((e) => e.outcome)).toEqual(['failed', 'failed', 'ok'])
    expect(imported.at(-1)?.reason).toBe('factory batch 1')
  }, 120_000)

  it('Re-Up cards: create, export the PINs once, ship, sell at the right till only, block, report', async () => {
    // A plan code without its version (as the README names the demo batch's plan) is said, not "not found".
    const bare = await cli.run([
      'vouchers',
      'create-batch',
      '--name',
      'x',
      '--plan',
      'line-1m',
      '--size',
      '1',
      '--expires',
      '2030-12-31',
      '--reason',
      'holiday stock'
    ])
    expect(bare.code).toBe(2)
    expect(bare.stderr).toContain('--plan is a plan and its version, code@version: line-1m@1')
    const created = await cli.json<{ batchId: string; size: number }>([
      'vouchers',
      'create-batch',
      '--name',
      'Dec 2026',
      '--plan',
      'line-1y@1',
      '--size',
      '4',
      '--expires',
      '2030-12-31',
      '--reason',
      'holiday stock'
    ])
    batchId = created.batchId
    expect(created.size).toBe(4)
    const pinsFile = join(cli.home, 'pins.csv')
    const exported = await cli.run([
      'vouchers',
      'export-pins',
      batchId,
      '--reason',
      'to the printer',
      '--out',
      pinsFile
    ])
    expect(exported.code, exported.stderr).toBe(0)
    expect(statSync(pinsFile).mode & 0o777).toBe(0o600)
    const rows = readFileSync(pinsFile, 'utf8').trim().split('\n')
    expect(rows[0]).toBe('serial,pin')
    cards = rows.slice(1).map((r) => {
      const [serial = '', pin = ''] = r.split(',')
      return { serial, pin }
    })
    expect(cards).toHaveLength(4)
    for (const c of cards) expect(c.pin).toMatch(/^\d{16}$/)
    const twice = await cli.run(['vouchers', 'export-pins', batchId, '--reason', 'to the printer'])
    expect(twice.code).toBe(3)
    expect(twice.stderr).toContain('were exported already')
    const sealed = await svc.service.ctx.db
      .selectFrom('voucher_batch_ops')
      .selectAll()
      .where('batch_id', '=', batchId)
      .executeTakeFirstOrThrow()
    expect(sealed.pins_sealed).toBeNull()

    const [c0, c1] = cards
    if (!c0 || !c1) throw new Error('no cards')
    const early = await cli.run(['vouchers', 'activate', c0.serial], {
      DIALTONE_OPS_API_KEY_FILE: keyFile(keyA)
    })
    expect(early.code).toBe(5) // not shipped to anyone yet
    const shipped = await cli.json<{ shipped: number }>([
      'vouchers',
      'ship',
      batchId,
      '--partner',
      partnerA,
      '--reason',
      'order 1001'
    ])
    expect(shipped.shipped).toBe(4)
    const other = await cli.run(['vouchers', 'activate', c0.serial], {
      DIALTONE_OPS_API_KEY_FILE: keyFile(keyB)
    })
    expect(other.code).toBe(5)
    expect(other.stderr).toContain('not in a batch shipped to you')
    const sold = await cli.run(['vouchers', 'activate', c0.serial], {
      DIALTONE_OPS_API_KEY_FILE: keyFile(keyA)
    })
    expect(sold.code, sold.stderr).toBe(0)
    const again = await cli.run(['vouchers', 'activate', c0.serial], {
      DIALTONE_OPS_API_KEY_FILE: keyFile(keyA)
    })
    expect(again.code).toBe(3)
    expect(again.stderr).toBe(`dialtone-ops: card ${c0.serial} is active already\n`)
    const tillAudit = await audit('till-activate')
    expect(tillAudit.map((e) => [e.actor_id, e.outcome])).toEqual([
      [partnerA, 'refused'],
      [partnerB, 'refused'],
      [partnerA, 'ok'],
      [partnerA, 'failed']
    ])

    const blocked = await cli.json<{ blocked: number }>([
      'vouchers',
      'block-batch',
      batchId,
      '--reason',
      'box lost in transit'
    ])
    expect(blocked.blocked).toBe(4) // the sold card too: only redeemed or expired cards are past blocking
    const report = await cli.run(['vouchers', 'report'])
    expect(report.code).toBe(0)
    expect(report.stdout).toMatch(/ID\s+NAME\s+PLANID/)
    const json = await cli.json<{
      batches: { id: string; partnerId: string; counts: Record<string, number> }[]
    }>(['vouchers', 'report'])
    const mine = json.batches.find((b) => b.id === batchId)
    expect(mine?.partnerId).toBe(partnerA)
    expect(mine?.counts).toMatchObject({ blocked: 4, inactive: 0, active: 0 })
  }, 180_000)

  function keyFile(key: string): string {
    const f = join(cli.home, `${key.slice(4, 12)}.key`)
    writeFileSync(f, key + '\n', { mode: 0o600 })
    return f
  }

  it('audit search and CSV export show who, what, why, before and after', async () => {
    const found = await cli.json<{
      events: { action: string; reason: string; actorId: string; before: unknown; after: unknown }[]
    }>(['audit', 'search', '--action', 'vouchers-ship'])
    expect(found.events).toHaveLength(1)
    expect(found.events[0]).toMatchObject({
      actorId: admin.email,
      reason: 'order 1001',
      before: { partnerId: null },
      after: { partnerId: partnerA, state: 'inactive' }
    })
    const human = await cli.run(['audit', 'search', '--target', batchId])
    expect(human.stdout).toMatch(/AT\s+ACTORID\s+ACTORROLE\s+ACTION/)
    const out = join(cli.home, 'audit.csv')
    const exp = await cli.json<{ count: number }>(['audit', 'export', '--out', out])
    const csv = readFileSync(out, 'utf8')
    expect(csv.split('\r\n')[0]).toBe(
      'at,actorKind,actorId,actorRole,action,target,reason,outcome,error,before,after,ip'
    )
    expect(csv).toContain('box lost in transit')
    expect(csv.trim().split('\r\n').length).toBe(exp.count + 1)
    expect(csv).not.toContain(cards[0]?.pin ?? 'none')
    // As `npm run ops -- …` typed in another folder: npm runs the CLI in the checkout and says where in INIT_CWD;
    // a relative --out is written there, not in the working tree.
    const typedIn = mkdtempSync(join(cli.home, 'typed-'))
    const asNpm = { npm_command: 'run-script', npm_lifecycle_event: 'ops', INIT_CWD: typedIn }
    const rel = await cli.run(['audit', 'export', '--out', 'walk-audit.csv'], asNpm)
    expect(rel.code, rel.stderr).toBe(0)
    expect(rel.stdout).toContain(`events written to ${join(typedIn, 'walk-audit.csv')}`)
    expect(statSync(join(typedIn, 'walk-audit.csv')).mode & 0o777).toBe(0o600)
    expect(existsSync(resolve('walk-audit.csv'))).toBe(false)
    const badFilter = await cli.run(['audit', 'search', '--outcome', 'maybe'])
    expect(badFilter.code).toBe(3)
  }, 60_000)
})
