/**
 * The dev stack's demo data (issue 20 item 4), as a newcomer meets it: the first `npm run stack` on a fresh data
 * folder prints a development-only admin enrolment token, a till-activated Re-Up card's PIN and a web-shop order;
 * the token enrols through the ops API, the PIN renews a line through the service API, the order activates a
 * dongle bought online. A second start prints no secret and makes nothing new; no log file holds a secret; in
 * production mode nothing is made.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { devSeeds } from '../../scripts/lib/dev-seeds'
import { devAttestationIdentity } from '../../src/main/device/dev-attestation'
import { openDatabase } from '../../src/server/db/database'
import { signChallenge } from '../support/dongles'
import { assertBuilt, freshSetup, type Launched, launch } from '../support/start-stack'

const running: Launched[] = []
beforeAll(() => assertBuilt())
afterEach(() => {
  // A test that failed before its stop leaves the launcher and everything it started.
  for (const l of running.splice(0)) l.killAll()
})

async function stackUp(env: Record<string, string>): Promise<Launched> {
  const l = launch('stack', env)
  running.push(l)
  await l.waitFor(/Ctrl-C stops everything/, 60_000)
  return l
}

async function stop(l: Launched): Promise<void> {
  l.proc.kill('SIGINT')
  expect(await l.exit()).toBe(0)
}

function api(base: string) {
  return async <T>(method: string, path: string, body?: unknown, token?: string) => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {})
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    return { status: r.status, body: (await r.json()) as T & { error?: { reason?: string } } }
  }
}

const MODEL = '06e6:c200'
const ACCEPT = { termsVersion: '2026-11', e911DisclosureVersion: '2026-11' }
const BILLING = { street: '1 Main St', city: 'Hoboken', region: 'NJ', postalCode: '07030', country: 'US' }
const E911 = { ...BILLING, unit: 'Apt 4' }

async function counts(dataDir: string): Promise<Record<string, number>> {
  const database = openDatabase(`sqlite:${join(dataDir, 'service', 'service.db')}`)
  try {
    const out: Record<string, number> = {}
    for (const t of [
      'operators',
      'partners',
      'voucher_batches',
      'vouchers',
      'orders',
      'retail_shops'
    ] as const) {
      const r = await database.db
        .selectFrom(t)
        .select(database.db.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      out[t] = Number(r.n)
    }
    return out
  } finally {
    await database.close()
  }
}

describe('the dev stack’s demo data', () => {
  it(
    'is printed once at the first start and works: enrol, renew by Re-Up PIN, activate the online order',
    { timeout: 120_000 },
    async () => {
      const s = await freshSetup()
      const base = `http://127.0.0.1:${s.ports.service}`
      const call = api(base)
      const first = await stackUp(s.env)
      const out = first.stdout()
      expect(out).toMatch(/Demo data for development only/)
      const token = /enrolment token (dte_[\w-]+)/.exec(out)?.[1] ?? ''
      const pin = /PIN (\d{16})/.exec(out)?.[1] ?? ''
      const [, orderNumber = '', email = ''] = /web-shop order\s+(\S+) for (\S+)/.exec(out) ?? []
      expect(token, out).toMatch(/^dte_/)
      // The command to paste carries the token in the environment: npm logs every `npm run` command line.
      expect(out).toContain(`DIALTONE_OPS_ENROL_TOKEN=${token} npm run ops -- enrol\n`)
      expect(out).not.toContain('--token')
      expect(pin, out).toMatch(/^\d{16}$/)
      expect(orderNumber).toBe('WEB-DEMO-1')

      // The admin enrols with the printed token, through the ops API like every operator.
      const enrol = await call<{ otpauthUri: string }>('POST', '/ops/v1/auth/enrol', {
        token,
        password: 'violet harbour lantern 1877'
      })
      expect(enrol.status, JSON.stringify(enrol.body)).toBe(200)

      // The development dongles' keys prove possession, as the virtual dongle's firmware does in the app.
      const attestation = async (serial: string) => {
        const c = await call<{ challenge: string }>('POST', '/v1/devices/challenge', { serial, model: MODEL })
        expect(c.status, JSON.stringify(c.body)).toBe(201)
        const key = devAttestationIdentity(serial, MODEL)?.privateKey
        if (!key) throw new Error(`no development key for ${serial}`)
        return signChallenge(key, MODEL, serial, c.body.challenge)
      }

      // A newcomer's trial line (on a rig dongle's serial), then the printed PIN renews it.
      const serial = 'DT-RIG-0003'
      const person = 'ada.newcomer@example.test'
      const trial = await call<{ trialId: string }>('POST', '/v1/trials', {
        serial,
        attestation: await attestation(serial),
        model: MODEL,
        name: 'Ada Newcomer',
        billingAddress: BILLING,
        email: person,
        password: 'correct horse battery',
        areaCode: '201',
        acceptances: ACCEPT
      })
      expect(trial.status, JSON.stringify(trial.body)).toBe(202)
      const mail = await call<{ messages: { purpose: string; body: string | null }[] }>(
        'GET',
        `/dev/mailbox.json?to=${encodeURIComponent(person)}`
      )
      const code = /\b(\d{6})\b/.exec(
        mail.body.messages.find((m) => m.purpose === 'trial-code')?.body ?? ''
      )?.[1]
      const line = await call<{ lineId: string; session: { token: string } }>('POST', '/v1/trials/activate', {
        trialId: trial.body.trialId,
        code
      })
      expect(line.status, JSON.stringify(line.body)).toBe(201)
      const session = line.body.session.token
      expect(
        (await call('PUT', `/v1/lines/${line.body.lineId}/e911`, { address: E911 }, session)).status
      ).toBe(200)
      const redeem = (c: string) =>
        call<{ paidThrough: string }>(
          'POST',
          '/v1/vouchers/redeem',
          { idempotencyKey: `seed-${c}-${Date.now()}`, code: c, lineId: line.body.lineId },
          session
        )
      const renewed = await redeem(pin)
      expect(renewed.status, JSON.stringify(renewed.body)).toBe(200)
      expect(new Date(renewed.body.paidThrough).getTime()).toBeGreaterThan(Date.now())
      expect((await redeem(pin)).status, 'a card redeems once').not.toBe(200)

      // The printed order activates the virtual dongle as bought online, for the printed email.
      const online = await call('POST', '/v1/devices/activate', {
        serial: 'VIRTUAL',
        attestation: await attestation('VIRTUAL'),
        model: MODEL,
        areaCode: '312',
        acceptances: ACCEPT,
        purchase: { channel: 'online', orderNumber, email },
        account: {
          mode: 'new',
          name: 'Ada Buyer',
          email,
          password: 'analytical engine 1843',
          billingAddress: BILLING
        }
      })
      expect(online.status, JSON.stringify(online.body)).toBe(201)
      await stop(first)
      const made = await counts(s.dataDir)
      expect(made).toMatchObject({
        operators: 1,
        partners: 1,
        voucher_batches: 1,
        vouchers: 3,
        orders: 1,
        retail_shops: 1
      })

      // Again on the same folder: one line, no secret, nothing new.
      const second = await stackUp(s.env)
      const again = second.stdout()
      expect(again).toMatch(/Demo data: made at the first start of this data folder/)
      for (const secret of [token, pin, 'dte_', 'Demo data for development only'])
        expect(again).not.toContain(secret)
      await stop(second)
      expect(await counts(s.dataDir)).toEqual(made)

      // No log file holds a secret.
      const logs = join(s.dataDir, 'service', 'logs')
      for (const f of readdirSync(logs)) {
        const text = readFileSync(join(logs, f), 'utf8')
        expect(text, f).not.toContain(token)
        expect(text, f).not.toContain(pin)
      }
    }
  )

  it('makes nothing in production mode', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dialtone-seeds-prod-'))
    const lines = await devSeeds(
      {
        DIALTONE_MODE: 'production',
        DIALTONE_SMTP_URL: 'smtp://mail.example.test',
        DIALTONE_ALLOWED_HOSTS: 'dialtone.example.test',
        DIALTONE_DATABASE_URL: `sqlite:${join(dir, 'service.db')}`
      },
      dir
    )
    expect(lines).toEqual([])
    expect(readdirSync(dir).filter((f) => f.startsWith('service.db'))).toEqual([])
  })
})
