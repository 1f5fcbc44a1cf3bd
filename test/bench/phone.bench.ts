/**
 * The SIP line against the same real Kamailio in one run: process start -> registered for Dialtone's SipLine
 * (bundled with esbuild, run by node) next to sipp (an authenticated REGISTER scenario), each a fresh process per
 * run, 20 runs each, alternating. Kamailio reads the service's SQLite database, as in `npm run stack`.
 * Run: node --import tsx test/bench/phone.bench.ts  (part of `npm run bench`).
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { ManualClock } from '../../src/server/clock'
import { loadConfig } from '../../src/server/config'
import { activateTrial, startTrial } from '../../src/server/devices/activation'
import { registerE911 } from '../../src/server/numbers/e911'
import { sipCredentials } from '../../src/server/numbers/lines-service'
import { startService } from '../../src/server/service'
import { planKamailio, startKamailio } from '../support/kamailio'
import { REGISTER_SCENARIO, sippRun } from '../support/sipp'
import { stat } from './stats'

const RUNS = 20
const dir = mkdtempSync(join(tmpdir(), 'dialtone-bench-phone-'))
const plan = await planKamailio()
const service = await startService(
  {
    ...loadConfig({ DIALTONE_PASSWORD_COST: 'test' }, dir),
    jobs: false,
    sip: {
      domain: 'dialtone.test',
      websocketUrl: plan.wsUrl,
      rpcUrl: plan.rpcUrl,
      accountingDir: plan.accountingDir
    }
  },
  { clock: new ManualClock(new Date()) }
)
const ctx = service.ctx
const kam = await startKamailio({ dbUrl: `sqlite:///${service.database.sqliteFile}`, plan })

const accept = {
  termsVersion: ctx.config.legal.termsVersion,
  e911DisclosureVersion: ctx.config.legal.e911DisclosureVersion
}
const t = await startTrial(
  ctx,
  {
    serial: 'PHONEBENCH1',
    model: '06e6:c200',
    name: 'Bench',
    accountType: 'individual',
    billingAddress: {
      street: '1 Main St',
      city: 'Hoboken',
      region: 'NJ',
      postalCode: '07030',
      country: 'US'
    },
    email: 'phone-bench@example.test',
    password: 'quiet harbor lantern 7',
    areaCode: '201',
    acceptances: accept
  },
  '10.9.0.1'
)
const mail = await ctx.db
  .selectFrom('outbox')
  .select('body')
  .where('recipient', '=', 'phone-bench@example.test')
  .executeTakeFirstOrThrow()
const a = await activateTrial(ctx, t.trialId, /\b(\d{6})\b/.exec(mail.body ?? '')?.[1] ?? '', '10.9.0.1')
await registerE911(
  ctx,
  a.accountId,
  a.lineId,
  { street: '12 Washington St', unit: '', city: 'Hoboken', region: 'NJ', postalCode: '07030', country: 'US' },
  '10.9.0.1'
)
const creds = await sipCredentials(ctx, a.accountId, a.lineId, '10.9.0.1')

const bundle = join(dir, 'register-once.mjs')
await build({
  entryPoints: [join(import.meta.dirname, 'register-once.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: bundle,
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"
  },
  logLevel: 'error'
})
const sippArgs = sippRun(plan.sipPort, REGISTER_SCENARIO, creds)

function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const t0 = performance.now()
  const p = spawn(cmd, args, { stdio: 'ignore', env })
  return new Promise((resolve, reject) =>
    p.once('exit', (code) =>
      code === 0 ? resolve(performance.now() - t0) : reject(new Error(`${cmd} exited ${code}`))
    )
  )
}

const ours: number[] = []
const sipp: number[] = []
const env = { ...process.env, DIALTONE_BENCH_CREDS: JSON.stringify({ ...creds, number: null }) }
for (let i = 0; i < RUNS; i++) {
  ours.push(await timed(process.execPath, [bundle], env))
  sipp.push(await timed('sipp', sippArgs))
}
const result = {
  environment: `Kamailio 5.6 on loopback reading the service's SQLite; ${RUNS} fresh processes each, alternating; Node ${process.version}`,
  dialtoneStartToRegisteredMs: stat(ours),
  sippStartToRegisteredMs: stat(sipp)
}
mkdirSync('test-results/bench', { recursive: true })
writeFileSync('test-results/bench/phone.json', JSON.stringify(result, null, 2))
console.log(JSON.stringify(result, null, 2))
await kam.stop()
await service.close()
