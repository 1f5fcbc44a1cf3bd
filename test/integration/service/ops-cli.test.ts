/**
 * `dialtone-ops` end to end on SQLite and PostgreSQL (issue 20): the real CLI process against a started service.
 * The first admin by bootstrap, enrolment (otpauth URI, recovery codes hashed at rest), sign-in with TOTP (an
 * expired or reused code refused, a recovery code once), the session file private to its user, operators and
 * partners, the manufacturing registry (bad CSV rows named by line and nothing imported; a serial's history),
 * Re-Up cards (create, PINs exported once, ship, till activation by a partner key only for its own partner's
 * cards, block, report), audit search and CSV export, and the exit codes.
 */
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { totpCode } from '../../../src/server/ops/totp'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { OpsCli, freshCode, registryCsv, secretOf } from '../../support/ops'

describe.each(BACKENDS)('dialtone-ops on %s', (backend) => {
  let svc: TestService
  let cli: OpsCli
  const admin = {
    email: 'root@ops.dialtone.test',
    password: 'correct horse battery staple',
    secret: '',
    codes: [] as string[]
  }
  const pw = () => ({ DIALTONE_OPS_PASSWORD: admin.password })
  let partnerA = ''
  let partnerB = ''
  let keyA = ''
  let keyB = ''
  let batchId = ''
  let cards: { serial: string; pin: string }[] = []

  beforeAll(async () => {
    svc = await startTestService(backend)
    cli = new OpsCli(svc)
  }, 60_000)
  afterAll(() => svc.close())

  const audit = (action: string) =>
    svc.service.ctx.db
      .selectFrom('ops_audit')
      .selectAll()
      .where('action', '=', action)
      .orderBy('at')
      .execute()

  it('bootstrap makes the first admin once; enrolment shows the otpauth URI and recovery codes, kept hashed', async () => {
    const env = { DIALTONE_SERVICE_DATA_DIR: svc.dataDir, DIALTONE_PASSWORD_COST: 'test' }
    const dbUrl = svc.service.ctx.config.databaseUrl
    const boot = await cli.json<{ enrolmentToken: string; operatorId: string }>(
      ['bootstrap', '--email', admin.email, '--name', 'Root Admin', '--database-url', dbUrl],
      env
    )
    expect(boot.enrolmentToken).toMatch(/^dte_/)
    const again = await cli.run(
      ['bootstrap', '--email', 'second@ops.dialtone.test', '--name', 'Second', '--database-url', dbUrl],
      env
    )
    expect(again.code).toBe(3)
    expect(again.stderr).toContain('an admin operator exists already')

    const weak = await cli.run(['enrol', '--token', boot.enrolmentToken], {
      DIALTONE_OPS_PASSWORD: 'password1'
    })
    expect(weak.code).toBe(3)
    // The token from the environment, as the dev stack prints it: npm's log of the command line never holds it.
    const enrol = await cli.json<{ otpauthUri: string; recoveryCodes: string[] }>(['enrol'], {
      ...pw(),
      DIALTONE_OPS_ENROL_TOKEN: boot.enrolmentToken
    })
    expect(enrol.otpauthUri).toMatch(/^otpauth:\/\/totp\/Dialtone%20ops:root%40ops\.dialtone\.test\?/)
    expect(enrol.recoveryCodes).toHaveLength(10)
    admin.secret = secretOf(enrol.otpauthUri)
    admin.codes = enrol.recoveryCodes
    const stored = await svc.service.ctx.db
      .selectFrom('operator_recovery_codes')
      .select('code_hash')
      .execute()
    const row = await svc.service.ctx.db
      .selectFrom('operators')
      .selectAll()
      .where('email', '=', admin.email)
      .executeTakeFirstOrThrow()
    const dump = JSON.stringify({ stored, row })
    for (const c of admin.codes) expect(dump).not.toContain(c)
    expect(dump).not.toContain(admin.secret)
    expect(dump).not.toContain(admin.password)

    const wrong = await cli.run(['enrol-confirm', '--token', boot.enrolmentToken, '--code', '000000'])
    expect(wrong.code).toBe(3)
    const ok = await cli.run([
      'enrol-confirm',
      '--token',
      boot.enrolmentToken,
      '--code',
      totpCode(admin.secret, svc.clock.now())
    ])
    expect(ok.code, ok.stderr).toBe(0)
    const spent = await cli.run(['enrol', '--token', boot.enrolmentToken], pw())
    expect(spent.code).toBe(3)
    expect(spent.stderr).toContain('enrolment link is unknown, used or expired')
  }, 120_000)

  it('login takes password + TOTP: an expired code and a reused one are refused and audited; the session file is 0600', async () => {
    svc.clock.advance(30_000)
    const expired = totpCode(admin.secret, new Date(svc.clock.now().getTime() - 90_000))
    const old = await cli.run(['login', '--email', admin.email, '--code', expired], pw())
    expect(old.code).toBe(4)
    expect(old.stderr).toContain('the email, password or code is wrong')
    const code = freshCode(svc, admin.secret)
    const first = await cli.run(['login', '--email', admin.email, '--code', code], pw())
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toContain(`Signed in as ${admin.email} (admin)`)
    const reused = await cli.run(['login', '--email', admin.email, '--code', code], pw())
    expect(reused.code).toBe(4)
    const refusals = (await audit('auth-login')).filter((e) => e.outcome === 'refused').map((e) => e.error)
    expect(refusals).toEqual([
      'authenticator code wrong, expired or already used',
      'authenticator code wrong, expired or already used'
    ])
    // The reused-code attempt did not overwrite the good session: the file still signs in.
    const file = join(cli.home, 'session.json')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const me = await cli.json<{ name: string; role: string; permissions: string[] }>(['whoami'])
    // The operator's name as bootstrap recorded it, not the email they sign in with.
    expect(me.name).toBe('Root Admin')
    expect(me.role).toBe('admin')
    const told = await cli.run(['whoami'])
    expect(told.stdout).toMatch(/^name\s+Root Admin$/m)
    expect(told.stdout).not.toContain(admin.email)
    expect(me.permissions).toContain('operators.manage')
  }, 120_000)

  it('a recovery code works once', async () => {
    const code = admin.codes[0] ?? ''
    const once = await cli.run(['login', '--email', admin.email, '--code', code], pw())
    expect(once.code, once.stderr).toBe(0)
    const twice = await cli.run(['login', '--email', admin.email, '--code', code], pw())
    expect(twice.code).toBe(4)
    const refused = (await audit('auth-login')).filter((e) => e.outcome === 'refused').at(-1)
    expect(refused?.error).toBe('recovery code unknown or already used')
    // Signed in again for the rest of the file.
    expect(
      (await cli.run(['login', '--email', admin.email, '--code', freshCode(svc, admin.secret)], pw())).code
    ).toBe(0)
  }, 60_000)

  it('a session file others can read is refused', async () => {
    const file = join(cli.home, 'session.json')
    const { chmodSync } = await import('node:fs')
    chmodSync(file, 0o644)
    const r = await cli.run(['whoami'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('chmod 600')
    chmodSync(file, 0o600)
  })

  it('sends the session only to the service that issued it, never to another --url', async () => {
    const seen: (string | undefined)[] = []
    const elsewhere = createServer((req, res) => {
      seen.push(req.headers.authorization)
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
    await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.1', r))
    const url = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`
    try {
      const byEnv = await cli.run(['whoami'], { DIALTONE_OPS_URL: url })
      const byFlag = await cli.run(['whoami', '--url', url])
      expect(seen).toEqual([])
      for (const r of [byEnv, byFlag]) {
        expect(r.code).toBe(4)
        expect(r.stderr).toContain(`login --url ${url}`)
      }
    } finally {
      elsewhere.close()
    }
    // The service that issued it still takes it.
    expect((await cli.run(['whoami'])).code).toBe(0)
  })

  it('writes no terminal control that came from outside: an unsigned webhook sender’s name in the audit log', async () => {
    // HTTP lets a header carry bytes 0x80-0xFF: 0x9B and 0x9D are CSI and OSC to a terminal that takes C1 controls.
    const sender = 'evil\x9b2J\x9d52;c;aGVsbG8=\x9c'
    const res = await fetch(`${svc.base}/ops/v1/webshop/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-dialtone-partner': sender },
      body: '{}'
    })
    expect(res.status).toBe(401)
    const outputs = [
      await cli.run(['audit', 'export', '--outcome', 'refused']),
      await cli.run(['audit', 'search', '--outcome', 'refused', '--json'])
    ]
    for (const r of outputs) {
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).toContain('evil')
      expect(r.stdout).not.toMatch(/[\u0080-\u009f]/)
    }
  })

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
    const before = await svc.service.ctx.db.selectFrom('device_registry').select('serial').execute()
    const good = registryCsv(`F${backend.toUpperCase()}`, 5)
    const lines = good.trimEnd().split('\n')
    lines[2] = '06e6:c200,ONLY-TWO'
    lines[4] = `06e6:c200,bad serial!,${Buffer.alloc(32, 9).toString('base64')}`
    const badFile = join(cli.home, 'bad.csv')
    writeFileSync(badFile, lines.join('\n') + '\n')
    const bad = await cli.run([
      'registry',
      'import',
      badFile,
      '--batch',
      'F-2026-01',
      '--reason',
      'factory batch 1'
    ])
    expect(bad.code).toBe(3)
    expect(bad.stderr).toContain('line 3: expected 3 values')
    // Shape problems first; then the entries' own problems, each by its line.
    lines[2] = lines[1] ?? ''
    writeFileSync(badFile, lines.join('\n') + '\n')
    const dup = await cli.run([
      'registry',
      'import',
      badFile,
      '--batch',
      'F-2026-01',
      '--reason',
      'factory batch 1'
    ])
    expect(dup.code).toBe(3)
    expect(dup.stderr).toContain('line 5, serial:')
    expect(dup.stderr).toContain('line 3, serial: appears twice in this batch')
    const after = await svc.service.ctx.db.selectFrom('device_registry').select('serial').execute()
    expect(after.length).toBe(before.length)

    const goodFile = join(cli.home, 'good.csv')
    writeFileSync(goodFile, good)
    const noReason = await cli.run(['registry', 'import', goodFile, '--batch', 'F-2026-01'])
    expect(noReason.code).toBe(2)
    const ok = await cli.json<{ added: number }>([
      'registry',
      'import',
      goodFile,
      '--batch',
      'F-2026-01',
      '--reason',
      'factory batch 1'
    ])
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

  it('usage errors exit 2; an expired session exits 4; logout forgets the session', async () => {
    expect((await cli.run(['vouchers', 'fly'])).code).toBe(2)
    expect((await cli.run(['whoami', '--color', 'red'])).code).toBe(2)
    expect((await cli.run(['vouchers', 'create-batch', '--name', 'x'])).code).toBe(2)
    svc.clock.advance(16 * 60_000)
    const stale = await cli.run(['whoami'])
    expect(stale.code).toBe(4)
    expect(
      (await cli.run(['login', '--email', admin.email, '--code', freshCode(svc, admin.secret)], pw())).code
    ).toBe(0)
    expect((await cli.run(['logout'])).code).toBe(0)
    expect((await cli.run(['whoami'])).code).toBe(4)
  }, 60_000)
})
