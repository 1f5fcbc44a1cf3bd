/**
 * The service behind a real load balancer (HAProxy from Debian, on loopback): with HAProxy's address trusted, the
 * client address comes from the X-Forwarded-For HAProxy appends, so two clients behind it get their own sign-in
 * budgets (before, everyone behind a balancer shared one) and a client cannot choose its address by sending the
 * header itself, through the proxy or around it. Also the production-mode rules: what the service refuses to
 * start with, the Host allow-list, and the dev mailbox only for this machine in development.
 * Addresses: HAProxy listens on 127.0.0.2 and connects from 127.0.0.2; clients connect from 127.0.0.5 and .6.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../../src/server/config'
import { THROTTLE } from '../../../src/server/identity/signin-throttle'
import { type TestService, startTestService } from '../../support/service'
import { trialLine } from '../../support/service-flows'

const HAPROXY = '/usr/sbin/haproxy'

async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, host, () => {
      const a = s.address()
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0))
    })
  })
}

/** A JSON POST from a chosen local address, with the headers given (Host too, which fetch will not send). */
function post(
  url: string,
  body: unknown,
  from: string,
  headers: Record<string, string> = {}
): Promise<{ status: number; body: string }> {
  return send('POST', url, from, headers, JSON.stringify(body))
}

function send(
  method: string,
  url: string,
  from: string,
  headers: Record<string, string> = {},
  data = ''
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        localAddress: from,
        headers: {
          ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}),
          ...headers
        }
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (text += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
      }
    )
    req.on('error', reject)
    req.end(data || undefined)
  })
}

describe('behind HAProxy with a trusted-proxy list', () => {
  let svc: TestService
  let haproxy: ChildProcess
  let front = ''
  let stderr = ''

  beforeAll(async () => {
    // A missing HAProxy fails the suite (scripts/setup.sh installs it); it never skips.
    expect(existsSync(HAPROXY), `${HAPROXY} (apt haproxy)`).toBe(true)
    svc = await startTestService('sqlite', {}, { DIALTONE_TRUSTED_PROXIES: '127.0.0.2' })
    const port = await freePort('127.0.0.2')
    const dir = mkdtempSync(join(tmpdir(), 'dialtone-haproxy-'))
    const cfg = join(dir, 'haproxy.cfg')
    writeFileSync(
      cfg,
      [
        'global',
        '  maxconn 256',
        'defaults',
        '  mode http',
        '  timeout connect 2s',
        '  timeout client 10s',
        '  timeout server 10s',
        'frontend api',
        `  bind 127.0.0.2:${port}`,
        '  option forwardfor',
        '  default_backend service',
        'backend service',
        '  source 127.0.0.2',
        `  server s1 ${new URL(svc.base).host}`,
        ''
      ].join('\n')
    )
    haproxy = spawn(HAPROXY, ['-db', '-f', cfg], { stdio: ['ignore', 'ignore', 'pipe'] })
    haproxy.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
    front = `http://127.0.0.2:${port}`
    const deadline = Date.now() + 10_000
    for (;;) {
      try {
        const r = await fetch(`${front}/v1/health`)
        if (r.ok) break
      } catch {
        /* not yet */
      }
      if (Date.now() > deadline) throw new Error(`HAProxy did not start: ${stderr}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }, 30_000)
  afterAll(async () => {
    haproxy?.kill('SIGTERM')
    await svc?.close()
  })

  const audited = async (accountId: string) =>
    (
      await svc.service.ctx.db
        .selectFrom('audit_events')
        .select(['ip', 'kind'])
        .where('account_id', '=', accountId)
        .where('kind', '=', 'signin.failed')
        .execute()
    ).map((e) => e.ip)

  it('gives each client behind the balancer its own address, whatever X-Forwarded-For it sends', async () => {
    const line = await trialLine(svc)
    const guess = { identifier: line.email, password: 'not the password' }
    // Client A, lying about its address, uses up its own budget ...
    for (let i = 0; i < THROTTLE.address.free; i++)
      expect(
        (await post(`${front}/v1/auth/sign-in`, guess, '127.0.0.5', { 'x-forwarded-for': `192.0.2.${i}` }))
          .status
      ).toBe(401)
    expect((await post(`${front}/v1/auth/sign-in`, guess, '127.0.0.5')).status).toBe(429)
    // ... and client B behind the same balancer still has its own.
    expect((await post(`${front}/v1/auth/sign-in`, guess, '127.0.0.6')).status).toBe(401)
    // The address the service recorded is the one HAProxy saw, never the header the client made up.
    expect(new Set(await audited(line.accountId))).toEqual(new Set(['127.0.0.5', '127.0.0.6']))
  })

  it('ignores X-Forwarded-For from a client that reaches the service directly', async () => {
    const line = await trialLine(svc)
    const r = await post(
      `${svc.base}/v1/auth/sign-in`,
      { identifier: line.email, password: 'not the password' },
      '127.0.0.7',
      { 'x-forwarded-for': '198.51.100.1' }
    )
    expect(r.status).toBe(401)
    expect(await audited(line.accountId)).toEqual(['127.0.0.7'])
  })
})

describe('production mode and the Host allow-list', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-mode-'))
  const refuse = (env: NodeJS.ProcessEnv, words: RegExp) =>
    expect(() => loadConfig(env, dir)).toThrow(
      expect.objectContaining({ message: expect.stringMatching(words) })
    )

  it('refuses to start beyond loopback without production mode, SMTP and host names', () => {
    refuse({ DIALTONE_SERVICE_HOST: '0.0.0.0' }, /development mode listens on loopback only/)
    refuse({ DIALTONE_MODE: 'production' }, /needs DIALTONE_SMTP_URL/)
    refuse({ DIALTONE_MODE: 'production', DIALTONE_SMTP_URL: 'smtp://mail.example.test' }, /ALLOWED_HOSTS/)
    refuse(
      {
        DIALTONE_MODE: 'production',
        DIALTONE_SMTP_URL: 'smtp://mail.example.test',
        DIALTONE_ALLOWED_HOSTS: 'api.example.test',
        DIALTONE_DEV_MAILBOX: 'true'
      },
      /no dev mailbox/
    )
    refuse({ DIALTONE_TRUSTED_PROXIES: 'not-an-address' }, /DIALTONE_TRUSTED_PROXIES/)
    refuse({ DIALTONE_MODE: 'staging' }, /development or production/)
    expect(() => loadConfig({ DIALTONE_SERVICE_HOST: '0.0.0.0' }, dir)).toThrow(ConfigError)
    const production = {
      DIALTONE_MODE: 'production',
      DIALTONE_SERVICE_HOST: '0.0.0.0',
      DIALTONE_SMTP_URL: 'smtp://mail.example.test',
      DIALTONE_ALLOWED_HOSTS: 'api.example.test'
    }
    // Invoices print the seller's legal details: production has no test seller to fall back on.
    refuse(
      production,
      /set DIALTONE_SELLER_NAME, DIALTONE_SELLER_ADDRESS, DIALTONE_SELLER_TAX_ID, DIALTONE_SELLER_EMAIL/
    )
    const seller = {
      DIALTONE_SELLER_NAME: 'Example Telecom LLC',
      DIALTONE_SELLER_ADDRESS: '1 Example Plaza, Springfield, IL 62701, US',
      DIALTONE_SELLER_TAX_ID: 'EIN 12-3456789',
      DIALTONE_SELLER_EMAIL: 'billing@example.test'
    }
    refuse({ ...production, ...seller, DIALTONE_SELLER_TAX_ID: '' }, /set DIALTONE_SELLER_TAX_ID/)
    refuse({ ...seller, DIALTONE_SELLER_EMAIL: 'nobody' }, /DIALTONE_SELLER_EMAIL must be an email/)
    expect(loadConfig({}, dir).seller.name).toMatch(/^TEST SELLER, not a legal entity/)
    const ok = loadConfig({ ...production, ...seller }, dir)
    expect([ok.mode, ok.devMailbox, ok.allowedHosts]).toEqual(['production', false, ['api.example.test']])
    expect(ok.seller).toEqual({
      name: 'Example Telecom LLC',
      address: '1 Example Plaza, Springfield, IL 62701, US',
      taxId: 'EIN 12-3456789',
      email: 'billing@example.test'
    })
  })

  it('answers only to its own host names, and shows the dev mailbox to this machine only', async () => {
    const dev = await startTestService('sqlite', {}, { DIALTONE_TRUSTED_PROXIES: '127.0.0.1' })
    try {
      const get = (path: string, headers: Record<string, string> = {}) =>
        send('GET', `${dev.base}${path}`, '127.0.0.1', headers).then((r) => r.status)
      // A page on a rebound DNS name (evil.example) reaching 127.0.0.1 carries its own Host.
      expect(await get('/dev/mailbox.json', { host: 'evil.example:4780' })).toBe(403)
      expect(await get('/v1/health', { host: 'evil.example' })).toBe(403)
      expect(await get('/v1/health', { host: 'localhost:1' })).toBe(200)
      expect(await get('/dev/mailbox.json')).toBe(200)
      const signIn = await post(`${dev.base}/v1/auth/sign-in`, {}, '127.0.0.9', { host: 'evil.example' })
      expect(signIn.status).toBe(403)
    } finally {
      await dev.close()
    }
    // In production the mailbox does not exist at all, and only the listed host names are answered.
    const prod = await startTestService('sqlite', {
      mode: 'production',
      devMailbox: true,
      allowedHosts: ['api.example.test']
    })
    try {
      const get = (path: string, host?: string) =>
        send('GET', `${prod.base}${path}`, '127.0.0.1', host ? { host } : {}).then((r) => r.status)
      expect(await get('/dev/mailbox.json', 'api.example.test')).toBe(404)
      expect(await get('/v1/health', 'api.example.test')).toBe(200)
      expect(await get('/v1/health')).toBe(403)
    } finally {
      await prod.close()
    }
  })
})
