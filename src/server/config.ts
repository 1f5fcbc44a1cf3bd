/**
 * The service's configuration, from the environment, with embedded defaults that make `npm run server` work on a
 * fresh machine: SQLite in the data folder, a generated service key kept next to it (0600), the dev mailbox on
 * and SMTP off. Every value is checked here, so a typo fails at start with the variable's name, not at the
 * first request.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { type ScryptCost, FAST_TEST_COST, PRODUCTION_COST } from './identity/passwords'
import { type SipServer, parseSipServers } from '../shared/telephony/sip-servers'
import { type SellerConfig, sellerFrom } from './seller-config'

/** The versions people accept today: their texts are resources/terms/<version> and resources/e911/<version>. */
export interface LegalTexts {
  readonly termsVersion: string
  readonly e911DisclosureVersion: string
}

export interface ServiceConfig {
  /**
   * development (the embedded default): loopback only, the dev mailbox on unless SMTP is set. production: SMTP
   * required, no dev mailbox, an explicit Host allow-list; the only mode that may listen beyond loopback.
   */
  readonly mode: 'development' | 'production'
  /** Where the service listens (DIALTONE_SERVICE_HOST / _PORT). */
  readonly listen: { readonly host: string; readonly port: number }
  /** Host header names the service answers to (any port); null: the loopback names only. */
  readonly allowedHosts: readonly string[] | null
  /**
   * Load balancers whose X-Forwarded-For is believed (addresses or CIDRs); the client's address is taken from
   * that header only when the connection comes from one of them. Empty: the header is ignored.
   */
  readonly trustedProxies: readonly string[]
  readonly databaseUrl: string
  readonly dataDir: string
  readonly serviceKey: Buffer
  readonly passwordCost: ScryptCost
  readonly sip: {
    readonly domain: string
    readonly websocketUrl: string
    /**
     * The SIP servers the app may register with, SRV-style (DIALTONE_SIP_SERVERS); absent: `websocketUrl` alone.
     * When set, `websocketUrl` is the first of them (what apps that do not read the list use).
     */
    readonly servers?: readonly SipServer[]
    /** Kamailio's JSON-RPC over HTTP, to drop registrations of a disabled line; null when not running. */
    readonly rpcUrl: string | null
    /** Where Kamailio's db_flatstore writes accounting files (SQLite deployments). */
    readonly accountingDir: string | null
  }
  readonly smtp: { readonly url: string; readonly from: string } | null
  readonly devMailbox: boolean
  /** Fill the number pool with fictitious 555-01XX numbers for a few area codes when it is empty. */
  readonly seedNumberPool: boolean
  readonly legal: LegalTexts
  readonly trialDays: number
  /** Months of service that come with a retail dongle. */
  readonly retailIncludedMonths: number
  readonly devices: {
    /**
     * Models (vid:pid) whose every unit the factory registers with a key pair, so an activation must be attested
     * (DIALTONE_ATTESTING_MODELS, comma-separated). Other models (stock firmware, generic HID phones) need a
     * proof of purchase and get no trial.
     */
    readonly attestingModels: readonly string[]
    /** How long a challenge is accepted (a dongle signs in milliseconds; the margin is for slow links). */
    readonly challengeTtlMs: number
  }
  /** Background jobs (outbox, lapse sweeper, accounting import); tests drive them by hand. */
  readonly jobs: boolean
  /** Requests in flight at once per process; more are answered 503 with Retry-After (src/server/http/admission.ts). */
  readonly maxInFlight: number
  /** Requests parsed and waiting for a place per process; past it the next is answered 503 at once. */
  readonly maxQueued: number
  readonly billing: BillingConfig
  /** DIALTONE_FAULT: a named point where the process kills itself (crash tests only). */
  readonly faultPoint: string | null
  /** How people reach support without an account (issue 25): shown on the app's Help page when signed out. */
  readonly support: SupportContactConfig
  /** The seller's legal entity on invoices and signed statements (DIALTONE_SELLER_*, ./seller-config.ts). */
  readonly seller: SellerConfig
}

export interface SupportContactConfig {
  /** DIALTONE_SUPPORT_EMAIL */
  readonly email: string
  /** DIALTONE_SUPPORT_PHONE, E.164 */
  readonly phone: string
}

/** Billing policy: every number a business would tune (research billing.md treats them as configuration). */
export interface BillingConfig {
  /** Auto-renew charges this long before the paid-through instant, so service never gaps. */
  readonly renewalLeadMs: number
  /**
   * The renewal reminder goes this many days before an auto-renewal of a plan of a year or more, and a line is
   * "expiring soon" this many days before its end (billing/reminder-window.ts).
   */
  readonly reminderDays: number
  /** The same for a plan shorter than a year (monthly): a 30-day window would be open all month. */
  readonly shortPlanReminderDays: number
  /** A lapsed line can be reactivated (same number) for this many days; then it is deactivated. */
  readonly graceDays: number
  /** Days after the failed renewal on which the card is tried again. */
  readonly dunningRetryDays: readonly number[]
  /** What happens when the last retry fails: cancel the subscription, or keep it past due (service lapses). */
  readonly dunningFinal: 'cancel' | 'keep_past_due'
  readonly promisedPayment: {
    readonly amountMinor: number
    readonly feeMinor: number
    readonly termDays: number
    readonly minTenureDays: number
    /** Eligible when the balance is at most 0 and at least this (a deeper debt is not extended more). */
    readonly lowestBalanceMinor: number
  }
  readonly maxBlockedNumbers: number
  /** How long an unfinished request holds its idempotency key before a retry may run it again. */
  readonly idempotencyLeaseMs: number
  /** Device upgrade offers: a newer dongle at a special price, one per line in service long enough. */
  readonly upgradeOffers: readonly UpgradeOfferConfig[]
  /** The most a support operator may refund at once (DIALTONE_SUPPORT_REFUND_LIMIT_MINOR); billing and admin have none. */
  readonly supportRefundLimitMinor: number
}

export interface UpgradeOfferConfig {
  readonly id: string
  readonly name: string
  readonly description: string
  /** The dongle models (vid:pid) whose lines may take it. */
  readonly fromModels: readonly string[]
  readonly regularMinor: number
  readonly offerMinor: number
  readonly currency: string
  /** The line must have been in service this many days. */
  readonly minServiceDays: number
  /** The last day it is offered (YYYY-MM-DD, in the account's time zone). */
  readonly endsOn: string
}

export const DEFAULT_BILLING: BillingConfig = {
  renewalLeadMs: 24 * 60 * 60_000,
  reminderDays: 30,
  shortPlanReminderDays: 7,
  graceDays: 30,
  dunningRetryDays: [1, 3, 5, 7],
  dunningFinal: 'cancel',
  promisedPayment: {
    amountMinor: 500,
    feeMinor: 0,
    termDays: 3,
    minTenureDays: 0,
    lowestBalanceMinor: -1000
  },
  maxBlockedNumbers: 200,
  idempotencyLeaseMs: 30_000,
  supportRefundLimitMinor: 2000,
  upgradeOffers: [
    {
      id: 'usb-c-2027',
      name: 'Dialtone USB-C dongle',
      description: 'A USB-C dongle for computers without a USB-A port, shipped to your billing address.',
      fromModels: ['06e6:c200'],
      regularMinor: 3995,
      offerMinor: 1995,
      currency: 'USD',
      minServiceDays: 90,
      endsOn: '2027-06-30'
    }
  ]
}

export const DEFAULT_LEGAL: LegalTexts = {
  termsVersion: '2026-11',
  e911DisclosureVersion: '2026-11'
}

/** The TigerJet-based dongle with Dialtone's firmware: every unit is registered with its key at the factory. */
/**
 * Requests in flight per process before admission control answers 503: at the ~500 mixed requests a second one
 * process sustains on the build machine (docs/benchmarks.md), 64 in flight keep an admitted request's queueing
 * near 130 ms, well under the 1 s aim, and a burst of a few dozen requests at once (one person's app, a race
 * test's 50 clients) is still served, not refused.
 */
export const DEFAULT_MAX_IN_FLIGHT = 64

export const DEFAULT_ATTESTING_MODELS: readonly string[] = ['06e6:c200']

export class ConfigError extends Error {}

function serviceKeyFrom(env: NodeJS.ProcessEnv, dataDir: string): Buffer {
  if (env.DIALTONE_SERVICE_KEY) {
    const key = Buffer.from(env.DIALTONE_SERVICE_KEY, 'base64')
    if (key.length !== 32) throw new ConfigError('DIALTONE_SERVICE_KEY must be 32 bytes in base64')
    return key
  }
  const file = join(dataDir, 'service.key')
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')
    if (key.length !== 32) throw new ConfigError(`${file} does not hold a 32-byte base64 key`)
    return key
  }
  mkdirSync(dataDir, { recursive: true })
  const key = randomBytes(32)
  writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' })
  return key
}

function supportContactFrom(env: NodeJS.ProcessEnv): SupportContactConfig {
  const email = env.DIALTONE_SUPPORT_EMAIL ?? 'support@dialtone.test'
  const phone = env.DIALTONE_SUPPORT_PHONE ?? '+18005550199'
  if (!/^[^\s@]{1,64}@[a-z0-9.-]{1,190}$/i.test(email))
    throw new ConfigError('DIALTONE_SUPPORT_EMAIL must be an email address')
  if (!/^\+[1-9]\d{6,14}$/.test(phone))
    throw new ConfigError('DIALTONE_SUPPORT_PHONE must be E.164 (+18005550199)')
  return { email, phone }
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const v = env[name]
  if (v === undefined || v === '') return fallback
  if (/^(1|true|yes|on)$/i.test(v)) return true
  if (/^(0|false|no|off)$/i.test(v)) return false
  throw new ConfigError(`${name} must be true or false, not "${v}"`)
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const v = env[name]
  if (v === undefined || v === '') return fallback
  const n = Number(v)
  if (!Number.isInteger(n) || n <= 0)
    throw new ConfigError(`${name} must be a positive whole number, not "${v}"`)
  return n
}

/** Loopback as a listen address or a Host header's name. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase()
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h)
}

function list(env: NodeJS.ProcessEnv, name: string, item: RegExp): string[] {
  const items = (env[name] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  for (const i of items)
    if (!item.test(i)) throw new ConfigError(`${name} has "${i}", which is not a valid entry`)
  return items
}

const IP_OR_CIDR = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]+)(\/\d{1,3})?$/i
const HOST_NAME = /^[a-z0-9.-]{1,253}$/i

/** DIALTONE_SIP_SERVERS (a list, SRV-style) or DIALTONE_SIP_WS_URL (one server); not both. */
function sipServersFrom(env: NodeJS.ProcessEnv): { websocketUrl: string; servers?: SipServer[] } {
  const spec = env.DIALTONE_SIP_SERVERS
  if (spec === undefined) return { websocketUrl: env.DIALTONE_SIP_WS_URL ?? 'ws://127.0.0.1:5066' }
  if (env.DIALTONE_SIP_WS_URL !== undefined)
    throw new ConfigError('set DIALTONE_SIP_SERVERS or DIALTONE_SIP_WS_URL, not both')
  let servers: SipServer[]
  try {
    servers = parseSipServers(spec)
  } catch (err) {
    throw new ConfigError(`DIALTONE_SIP_SERVERS: ${err instanceof Error ? err.message : String(err)}`)
  }
  const first = [...servers].sort((a, b) => a.priority - b.priority)[0]
  return { websocketUrl: first?.websocketUrl ?? '', servers }
}

function listenFrom(env: NodeJS.ProcessEnv): { host: string; port: number } {
  const port = Number(env.DIALTONE_SERVICE_PORT ?? 4780)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError('DIALTONE_SERVICE_PORT must be a port number')
  return { host: env.DIALTONE_SERVICE_HOST ?? '127.0.0.1', port }
}

export function loadConfig(env: NodeJS.ProcessEnv, dataDir: string): ServiceConfig {
  const smtpUrl = env.DIALTONE_SMTP_URL
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl))
    throw new ConfigError('DIALTONE_SMTP_URL must start with smtp:// or smtps://')
  const mode = env.DIALTONE_MODE ?? 'development'
  if (mode !== 'development' && mode !== 'production')
    throw new ConfigError(`DIALTONE_MODE must be development or production, not "${mode}"`)
  const listen = listenFrom(env)
  const allowedHosts = env.DIALTONE_ALLOWED_HOSTS ? list(env, 'DIALTONE_ALLOWED_HOSTS', HOST_NAME) : null
  const devMailbox = flag(env, 'DIALTONE_DEV_MAILBOX', mode === 'development' && !smtpUrl)
  if (mode === 'development' && !isLoopbackHost(listen.host))
    throw new ConfigError(
      `development mode listens on loopback only (it shows every code in the dev mailbox); to listen on ${listen.host} set DIALTONE_MODE=production with DIALTONE_SMTP_URL and DIALTONE_ALLOWED_HOSTS`
    )
  if (mode === 'production') {
    if (!smtpUrl)
      throw new ConfigError('production mode needs DIALTONE_SMTP_URL: codes must reach people by email')
    if (devMailbox) throw new ConfigError('production mode has no dev mailbox: unset DIALTONE_DEV_MAILBOX')
    if (!allowedHosts)
      throw new ConfigError(
        'production mode needs DIALTONE_ALLOWED_HOSTS: the host names the service answers to'
      )
  }
  const sipDomain = env.DIALTONE_SIP_DOMAIN ?? 'dialtone.test'
  if (!/^[a-z0-9.-]{1,64}$/i.test(sipDomain)) throw new ConfigError('DIALTONE_SIP_DOMAIN must be a host name')
  return {
    mode,
    listen,
    allowedHosts,
    trustedProxies: list(env, 'DIALTONE_TRUSTED_PROXIES', IP_OR_CIDR),
    databaseUrl: env.DIALTONE_DATABASE_URL ?? `sqlite:${join(dataDir, 'service.db')}`,
    dataDir,
    serviceKey: serviceKeyFrom(env, dataDir),
    passwordCost: env.DIALTONE_PASSWORD_COST === 'test' ? FAST_TEST_COST : PRODUCTION_COST,
    sip: {
      domain: sipDomain,
      ...sipServersFrom(env),
      rpcUrl: env.DIALTONE_KAMAILIO_RPC_URL ?? null,
      accountingDir: env.DIALTONE_ACCOUNTING_DIR ?? null
    },
    smtp: smtpUrl
      ? { url: smtpUrl, from: env.DIALTONE_MAIL_FROM ?? 'Dialtone <no-reply@dialtone.test>' }
      : null,
    devMailbox,
    seedNumberPool: flag(env, 'DIALTONE_SEED_NUMBERS', true),
    legal: DEFAULT_LEGAL,
    trialDays: 30,
    retailIncludedMonths: 12,
    devices: {
      attestingModels: env.DIALTONE_ATTESTING_MODELS
        ? list(env, 'DIALTONE_ATTESTING_MODELS', /^[0-9a-f]{4}:[0-9a-f]{4}$/)
        : DEFAULT_ATTESTING_MODELS,
      challengeTtlMs: 2 * 60_000
    },
    jobs: true,
    maxInFlight: positiveInt(env, 'DIALTONE_MAX_IN_FLIGHT', DEFAULT_MAX_IN_FLIGHT),
    maxQueued: positiveInt(
      env,
      'DIALTONE_MAX_QUEUED',
      4 * positiveInt(env, 'DIALTONE_MAX_IN_FLIGHT', DEFAULT_MAX_IN_FLIGHT)
    ),
    billing: {
      ...DEFAULT_BILLING,
      idempotencyLeaseMs: positiveInt(
        env,
        'DIALTONE_IDEMPOTENCY_LEASE_MS',
        DEFAULT_BILLING.idempotencyLeaseMs
      ),
      supportRefundLimitMinor: positiveInt(
        env,
        'DIALTONE_SUPPORT_REFUND_LIMIT_MINOR',
        DEFAULT_BILLING.supportRefundLimitMinor
      )
    },
    faultPoint: env.DIALTONE_FAULT ?? null,
    support: supportContactFrom(env),
    seller: sellerFrom(env, mode, (m) => new ConfigError(m))
  }
}
