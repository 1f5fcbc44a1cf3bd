/**
 * `dialtone-ops` sign-in end to end on SQLite and PostgreSQL (issue 20): the real CLI process against a started
 * service. The first admin by bootstrap, enrolment (otpauth URI, recovery codes hashed at rest), sign-in with TOTP
 * (an expired or reused code refused, a recovery code once), the session file private to its user and sent only
 * to the service that issued it, no terminal control from outside in what it prints, and the exit codes. What an
 * admin then does with it (operators, partners, the registry, Re-Up cards, the audit log) is ops-cli-admin.test.ts.
 */
import { readFileSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { totpCode } from '../../../src/server/ops/totp'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { OpsCli, auditEvents, freshCode, secretOf } from '../../support/ops'

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

  beforeAll(async () => {
    svc = await startTestService(backend)
    cli = new OpsCli(svc, { process: true })
  }, 60_000)
  afterAll(() => svc.close())

  const audit = (action: string) => auditEvents(svc, action)

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
    // The sign-in's device token is kept beside it, as privately, for the next login to send.
    const devices = join(cli.home, 'device-tokens.json')
    expect(statSync(devices).mode & 0o777).toBe(0o600)
    const kept = JSON.parse(readFileSync(devices, 'utf8')) as Record<string, string>
    expect(kept).toEqual({ [`${svc.base} ${admin.email}`]: expect.stringMatching(/^dtd_/) })
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
