/**
 * The service and a real Kamailio sharing the database, on SQLite and on PostgreSQL: a line in service registers
 * over WebSocket with sip.js using the credentials the API hands out; a lapsed line keeps them (911 only, enforced by
 * Kamailio); when the line's number changes, the old user's registration is removed and its REGISTER refused. A call attempt's accounting comes back into call_records.
 */
import { execFileSync } from 'node:child_process'
import { statSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type KamailioInstance, kamailioRole, planKamailio, startKamailio } from '../../support/kamailio'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { signIn } from '../../support/billing-flows'
import { trialLine } from '../../support/service-flows'
import { register } from '../../support/sip-register'
import { callScenario, sippRun } from '../../support/sipp'

interface Creds {
  uri: string
  username: string
  password: string
  websocketUrl: string
}

describe.each(BACKENDS)('Kamailio reading the service database on %s', (backend) => {
  let svc: TestService
  let kam: KamailioInstance
  beforeAll(async () => {
    // Ports first, so the service's config points at the Kamailio that starts after it (the service makes the DB).
    const plan = await planKamailio()
    svc = await startTestService(backend, {
      sip: {
        domain: 'dialtone.test',
        websocketUrl: plan.wsUrl,
        rpcUrl: plan.rpcUrl,
        accountingDir: plan.accountingDir
      }
    })
    const dbUrl =
      backend === 'sqlite'
        ? `sqlite:///${svc.service.database.sqliteFile}`
        : kamailioRole(svc.service.ctx.config.databaseUrl)
    kam = await startKamailio({ dbUrl, plan, postgres: backend === 'postgres' })
  }, 60_000)
  afterAll(async () => {
    await kam?.stop()
    await svc?.close()
  })

  it('accepts a provisioned line over WebSocket, keeps it through a lapse, and drops an old number at once', async () => {
    const line = await trialLine(svc)
    const creds = (await svc.api<Creds>('GET', `/v1/lines/${line.lineId}/sip`, undefined, line.token)).body
    expect(creds.websocketUrl).toBe(kam.wsUrl)
    const reg = await register(creds)
    expect(reg.outcome, kam.output().slice(-2000)).toBe('registered')
    const before = await kam.rpc<{ Contacts?: unknown[] }>('ul.lookup', ['location', creds.username])
    expect(JSON.stringify(before)).toContain(creds.username)

    const wrong = await register({ ...creds, password: 'not-the-password' })
    expect(wrong.outcome).toBe(401)
    await wrong.stop()

    // A lapsed line keeps its credentials and its registration: it may still call 911 (Kamailio allows nothing
    // else; test/integration/service/emergency.test.ts).
    svc.clock.advance(31 * 24 * 60 * 60_000)
    await svc.service.runJobs()
    expect(JSON.stringify(await kam.rpc('ul.lookup', ['location', creds.username]))).toContain(creds.username)
    const row = await svc.service.ctx.db
      .selectFrom('subscriber')
      .select('line_state')
      .where('username', '=', creds.username)
      .executeTakeFirst()
    expect(row?.line_state).toBe('lapsed')
    const relapsed = await register(creds)
    expect(relapsed.outcome).toBe('registered')
    await relapsed.stop()

    // A new number: the old user's registration is removed through Kamailio's RPC, and it cannot sign in again.
    const token = await signIn(svc, line)
    const moved = await svc.api('POST', `/v1/lines/${line.lineId}/number`, { areaCode: '212' }, token)
    expect(moved.status, JSON.stringify(moved.body)).toBe(200)
    await expect(kam.rpc('ul.lookup', ['location', creds.username])).rejects.toThrow(/not found/i)
    await reg.stop()
    const after = await register(creds)
    expect(after.outcome).toBe(401)
    await after.stop()
  })

  // PostgreSQL has roles; on SQLite the service owns the WAL file (0660) and Kamailio only reads it.
  if (backend === 'sqlite')
    it('keeps the SQLite file group-readable for Kamailio and no wider', () => {
      const file = svc.service.database.sqliteFile
      expect(file).toBeTruthy()
      expect(statSync(file ?? '').mode & 0o777).toBe(0o660)
    })
  if (backend === 'postgres')
    it('connects Kamailio as a role that cannot change the service’s data', async () => {
      const url = kam.dbUrl
      expect(new URL(url).username).toMatch(/^kam_/)
      const asKamailio = (sql: string): string =>
        execFileSync('psql', [url, '-qAt', '-v', 'ON_ERROR_STOP=1', '-c', sql], { stdio: 'pipe' }).toString()
      expect(Number(asKamailio('SELECT count(*) FROM subscriber'))).toBeGreaterThanOrEqual(0)
      expect(Number(asKamailio('SELECT count(*) FROM kamailio_blocked_callers'))).toBeGreaterThanOrEqual(0)
      for (const sql of [
        "UPDATE subscriber SET ha1 = 'x'",
        'SELECT count(*) FROM accounts',
        'DELETE FROM acc',
        'SELECT count(*) FROM sessions',
        // Blocked callers through their view only, never the tables behind it.
        'SELECT count(*) FROM blocked_numbers',
        'SELECT count(*) FROM sip_accounts'
      ])
        expect(() => asKamailio(sql), sql).toThrow(/permission denied/)
    })

  it('brings a call attempt’s accounting back into call_records', async () => {
    const line = await trialLine(svc)
    const creds = (await svc.api<Creds>('GET', `/v1/lines/${line.lineId}/sip`, undefined, line.token)).body
    // sipp (UDP) calls a number nobody registered: 407, authenticated INVITE, 404 -> acc + missed_calls.
    execFileSync('sipp', sippRun(kam.sipPort, callScenario('unknown'), creds, '12015559999'), {
      stdio: 'pipe',
      timeout: 20_000
    })
    const deadline = Date.now() + 5000
    let rows: { sip_code: string; src_user: string; dst_user: string; missed: number }[] = []
    while (Date.now() < deadline) {
      await svc.service.runJobs()
      rows = await svc.service.ctx.db
        .selectFrom('call_records')
        .selectAll()
        .where('src_user', '=', creds.username)
        .execute()
      if (rows.length >= 2) break
      await new Promise((r) => setTimeout(r, 100))
    }
    expect(rows.map((r) => [r.sip_code, r.dst_user, r.missed]).sort()).toEqual([
      ['404', '12015559999', 0],
      ['404', '12015559999', 1]
    ])
    // The accounting names what the call was routed by, not the To header the client wrote (a To of a free number
    // beside a Request-URI abroad made an international call cost nothing: the rating charges by dst_user).
    const lying = callScenario('unknown').replaceAll('To: <sip:[service]@', 'To: <sip:911@')
    expect(lying).not.toBe(callScenario('unknown'))
    execFileSync('sipp', sippRun(kam.sipPort, lying, creds, '12015559998'), {
      stdio: 'pipe',
      timeout: 20_000
    })
    let lied: { dst_user: string }[] = []
    for (const end = Date.now() + 5000; Date.now() < end && lied.length < 2;) {
      await svc.service.runJobs()
      lied = await svc.service.ctx.db
        .selectFrom('call_records')
        .select('dst_user')
        .where('src_user', '=', creds.username)
        .where('dst_user', 'in', ['12015559998', '911'])
        .execute()
      if (lied.length < 2) await new Promise((r) => setTimeout(r, 100))
    }
    expect(lied.map((r) => r.dst_user)).toEqual(['12015559998', '12015559998'])
    // Importing again adds nothing (idempotent by file offset / row id).
    await svc.service.runJobs()
    expect(
      await svc.service.ctx.db
        .selectFrom('call_records')
        .selectAll()
        .where('src_user', '=', creds.username)
        .execute()
    ).toHaveLength(4)
  })
})
