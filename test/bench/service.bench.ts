/**
 * Service throughput: sign-in and trial activation against a bare Fastify route (the peer), measured in the same
 * process and run, over real HTTP on loopback with 8 concurrent keep-alive clients. Production password cost
 * (scrypt N=2^14, r=8, p=5) and SQLite, as `npm run server` runs. The rate limits are real too, so the clock is
 * stepped past each 15-minute window between batches instead of disabling them.
 * Run: node --import tsx test/bench/service.bench.ts  (part of `npm run bench`).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify from 'fastify'
import { ManualClock } from '../../src/server/clock'
import { loadConfig } from '../../src/server/config'
import { startService } from '../../src/server/service'
import { attestDirect } from '../support/dongles'
import { sized, writeResult } from './bench-run'
import { loadTest } from './stats'

const CONCURRENCY = 8
const dir = mkdtempSync(join(tmpdir(), 'dialtone-bench-'))
const clock = new ManualClock(new Date())
const service = await startService({ ...loadConfig({}, dir), jobs: false }, { clock })
await service.app.listen({ host: '127.0.0.1', port: 0 })
const base = `http://127.0.0.1:${(service.app.server.address() as { port: number }).port}`
const peer = Fastify()
peer.post('/ping', async (req) => ({ ok: true, echo: (req.body as { n?: number }).n ?? 0 }))
await peer.listen({ host: '127.0.0.1', port: 0 })
const peerBase = `http://127.0.0.1:${(peer.server.address() as { port: number }).port}`

async function post(url: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body)
  })
  return { status: r.status, body: (await r.json()) as Record<string, unknown> }
}

const load = (count: number, request: (i: number) => Promise<number>) => loadTest(count, CONCURRENCY, request)

const accept = {
  termsVersion: service.ctx.config.legal.termsVersion,
  e911DisclosureVersion: service.ctx.config.legal.e911DisclosureVersion
}
const billing = { street: '1 Main St', city: 'Hoboken', region: 'NJ', postalCode: '07030', country: 'US' }
async function trial(i: number) {
  const serial = `BENCH${i.toString().padStart(6, '0')}`
  const email = `bench${i}@example.test`
  // The dongle proves itself first (activation is bound to the dongle): registered and its challenge signed
  // straight through the service's functions, as the billing benchmark's accounts are; the trial over HTTP.
  const r = await post(`${base}/v1/trials`, {
    serial,
    attestation: await attestDirect(service.ctx, serial),
    model: '06e6:c200',
    name: 'Bench',
    billingAddress: billing,
    email,
    password: 'quiet harbor lantern 7',
    areaCode: '201',
    acceptances: accept
  })
  // A refused trial says why here, not as a missing email below.
  if (r.status !== 202) throw new Error(`trial ${serial}: ${r.status} ${JSON.stringify(r.body)}`)
  const mail = await service.ctx.db
    .selectFrom('outbox')
    .select('body')
    .where('recipient', '=', email)
    .executeTakeFirstOrThrow()
  return {
    trialId: r.body.trialId as string,
    code: /\b(\d{6})\b/.exec(mail.body ?? '')?.[1] as string,
    email
  }
}

// Trials are limited to 20 per IP per hour and codes live 10 minutes: batches of 15, the clock stepped between.
const BATCHES = sized(6, 2)
const PER_BATCH = sized(15, 2)
const ACTIVATIONS = BATCHES * PER_BATCH
const trials: { trialId: string; code: string; email: string }[] = []
const activationRuns = []
for (let b = 0; b < BATCHES; b++) {
  clock.advance(61 * 60_000)
  const batch: { trialId: string; code: string; email: string }[] = []
  for (let i = 0; i < PER_BATCH; i++) batch.push(await trial(b * PER_BATCH + i))
  trials.push(...batch)
  activationRuns.push(
    await load(
      PER_BATCH,
      async (i) =>
        (await post(`${base}/v1/trials/activate`, { trialId: batch[i]?.trialId, code: batch[i]?.code }))
          .status
    )
  )
}
const activation = {
  requests: ACTIVATIONS,
  perSecond: +(activationRuns.reduce((a, r) => a + r.perSecond, 0) / BATCHES).toFixed(1),
  p99: Math.max(...activationRuns.map((r) => r.p99)),
  median: +(activationRuns.map((r) => r.median).sort((a, b) => a - b)[BATCHES / 2] ?? 0)
}
const SIGNINS = sized(320, 4)
const signIn = await load(SIGNINS, async (i) => {
  if (i % 90 === 89) clock.advance(16 * 60_000) // 100 sign-ins per IP per 15 minutes
  const t = trials[i % ACTIVATIONS] as { email: string }
  return (await post(`${base}/v1/auth/sign-in`, { identifier: t.email, password: 'quiet harbor lantern 7' }))
    .status
})
const bare = await load(sized(4000, 20), async (i) => (await post(`${peerBase}/ping`, { n: i })).status)
const health = await load(
  sized(4000, 20),
  async () => await fetch(`${base}/v1/health`).then(async (r) => (await r.arrayBuffer(), r.status))
)

const result = {
  environment: `SQLite, production scrypt cost, ${CONCURRENCY} concurrent clients on loopback, Node ${process.version}`,
  bareFastify: bare,
  serviceHealth: health,
  signIn,
  trialActivation: activation
}
writeResult('service', result)
await service.close()
await peer.close()
rmSync(dir, { recursive: true, force: true })
