/** Journeys the service tests repeat: a trial taken to an in-service line, reading codes from the dev mailbox. */
import { expect } from 'vitest'
import { newId } from '../../src/server/secrets'
import { topUp } from './billing-flows'
import type { TestService } from './service'

export const MODEL = '06e6:c200'
export const ACCEPT = { termsVersion: '2026-11', e911DisclosureVersion: '2026-11' }
export const BILLING = {
  street: '1 Main St',
  city: 'Hoboken',
  region: 'NJ',
  postalCode: '07030',
  country: 'US'
}
export const US_ADDRESS = {
  street: '12 Washington St',
  unit: 'Apt 4',
  city: 'Hoboken',
  region: 'NJ',
  postalCode: '07030',
  country: 'US'
}

let serialCounter = 0
export function newSerial(): string {
  return `MJ${Date.now().toString(36).toUpperCase()}${(serialCounter++).toString().padStart(3, '0')}`
}

interface Mail {
  to: string
  subject: string
  body: string | null
  purpose: string
}

export async function mailbox(svc: TestService, to: string): Promise<Mail[]> {
  const r = await svc.api<{ messages: Mail[] }>('GET', `/dev/mailbox.json?to=${encodeURIComponent(to)}`)
  expect(r.status).toBe(200)
  return r.body.messages
}

/** The newest 6-digit code (or dtr_/dtx_ token) sent to an address for a purpose. */
export async function latestSecret(svc: TestService, to: string, purpose: string): Promise<string> {
  const m = (await mailbox(svc, to)).find((x) => x.purpose === purpose)
  if (!m?.body) throw new Error(`no ${purpose} message to ${to}`)
  const match = /\b(dt[rx]_[A-Za-z0-9_-]{43})\b/.exec(m.body) ?? /\b(\d{6})\b/.exec(m.body)
  if (!match?.[1]) throw new Error(`no secret in ${purpose} message`)
  return match[1]
}

export interface TrialLine {
  email: string
  password: string
  serial: string
  token: string
  accountId: string
  deviceId: string
  lineId: string
}

export async function startTrial(svc: TestService, overrides: Record<string, unknown> = {}) {
  const serial = newSerial()
  const email = `${serial.toLowerCase()}@example.test`
  const req = {
    serial,
    model: MODEL,
    name: 'Ada Lovelace',
    billingAddress: BILLING,
    email,
    password: 'correct horse battery',
    areaCode: '201',
    acceptances: ACCEPT,
    ...overrides
  }
  const r = await svc.api<{ trialId: string }>('POST', '/v1/trials', req)
  return { r, req }
}

/** Start Trial -> code from the mailbox -> activate -> E911 -> in service. */
export async function trialLine(
  svc: TestService,
  opts: {
    e911?: boolean
    areaCode?: string
    accountType?: 'individual' | 'business'
    name?: string
    timeZone?: string
    /** The app's language sent with the trial: the account's messages' (none: as an older app, English). */
    language?: string
  } = {}
): Promise<TrialLine> {
  const { r, req } = await startTrial(svc, {
    ...(opts.timeZone ? { timeZone: opts.timeZone } : {}),
    ...(opts.language ? { language: opts.language } : {}),
    ...(opts.areaCode ? { areaCode: opts.areaCode } : {}),
    ...(opts.name ? { name: opts.name } : {}),
    ...(opts.accountType ? { accountType: opts.accountType } : {})
  })
  expect(r.status, JSON.stringify(r.body)).toBe(202)
  const code = await latestSecret(svc, req.email, 'trial-code')
  const a = await svc.api<{
    accountId: string
    deviceId: string
    lineId: string
    session: { token: string }
  }>('POST', '/v1/trials/activate', {
    trialId: r.body.trialId,
    code
  })
  expect(a.status, JSON.stringify(a.body)).toBe(201)
  const line = {
    email: req.email,
    password: req.password,
    serial: req.serial,
    token: a.body.session.token,
    accountId: a.body.accountId,
    deviceId: a.body.deviceId,
    lineId: a.body.lineId
  }
  if (opts.e911 !== false) {
    const e = await svc.api('PUT', `/v1/lines/${line.lineId}/e911`, { address: US_ADDRESS }, line.token)
    expect(e.status, JSON.stringify(e.body)).toBe(200)
  }
  return line
}

/** Row counts of the tables bad input must never change (the rate limiter's own table may grow). */
export async function tableCounts(svc: TestService): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const t of [
    'accounts',
    'sessions',
    'devices',
    'lines',
    'trial_requests',
    'outbox',
    'subscriber',
    'e911_addresses'
  ] as const) {
    const r = await svc.service.ctx.db
      .selectFrom(t)
      .select(svc.service.ctx.db.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    out[t] = Number(r.n)
  }
  return out
}

/** A retail dongle added to a signed-in account: its second (third ...) line, on area code 617. */
export async function addRetailLine(svc: TestService, token: string): Promise<{ lineId: string }> {
  const r = await svc.api<{ lineId: string }>(
    'POST',
    '/v1/devices/activate',
    {
      serial: newSerial(),
      model: MODEL,
      areaCode: '617',
      acceptances: ACCEPT,
      purchase: { channel: 'retail' },
      account: { mode: 'existing' }
    },
    token
  )
  expect(r.status, JSON.stringify(r.body)).toBe(201)
  return { lineId: r.body.lineId }
}

/** A line's number as the service gives it. */
export async function lineNumber(svc: TestService, token: string, lineId: string): Promise<string> {
  const r = await svc.api<{ number: string }>('GET', `/v1/lines/${lineId}`, undefined, token)
  expect(r.status, JSON.stringify(r.body)).toBe(200)
  return r.body.number
}

/** Writes the two accounting rows Kamailio writes for an answered call (INVITE 200, then BYE `seconds` later). */
export async function answeredCall(
  svc: TestService,
  call: { readonly srcUser: string; readonly dst: string; readonly at: Date; readonly seconds: number }
): Promise<void> {
  const callId = newId('call')
  const row = (method: string, when: Date) => ({
    id: newId('cdr'),
    source_key: `test:${callId}:${method}`,
    method,
    from_tag: 'a',
    to_tag: 'b',
    call_id: callId,
    sip_code: '200',
    sip_reason: 'OK',
    at: when.toISOString(),
    src_user: call.srcUser,
    dst_user: call.dst,
    missed: 0,
    rated_at: null
  })
  await svc.service.ctx.db
    .insertInto('call_records')
    .values([row('INVITE', call.at), row('BYE', new Date(call.at.getTime() + call.seconds * 1000))])
    .execute()
}

/** A trial line moved onto the home-basic tariff (a monthly fee from the balance), in `timeZone` if given. */
export async function tariffLine(svc: TestService, timeZone?: string): Promise<TrialLine> {
  const l = await trialLine(svc, timeZone ? { timeZone } : {})
  // A balance that pays its months: joining and each month are paid from it (billing/tariffs.ts).
  await topUp(svc, l.token, 5000)
  const r = await svc.api('POST', `/v1/lines/${l.lineId}/tariff`, { planId: 'home-basic@1' }, l.token)
  expect(r.status, JSON.stringify(r.body)).toBe(200)
  return l
}

/** The months a line's account was charged its tariff for (YYYY-MM, from each fee's reference), in order. */
export async function tariffMonths(svc: TestService, l: TrialLine): Promise<string[]> {
  return (
    await svc.service.ctx.db
      .selectFrom('balance_entries')
      .select('source_ref')
      .where('account_id', '=', l.accountId)
      .where('kind', '=', 'recurring_fee')
      .orderBy('source_ref')
      .execute()
  ).map((e) => e.source_ref.slice(-7))
}

/**
 * A line's SIP credentials as the app reads them (GET /v1/lines/:id/sip; `T` for the fields beside the username and
 * password a test reads); throws unless the service gives them.
 */
export async function sipCreds<
  T extends { username: string; password: string } = { username: string; password: string }
>(svc: TestService, line: { lineId: string; token: string }): Promise<T> {
  const r = await svc.api<T>('GET', `/v1/lines/${line.lineId}/sip`, undefined, line.token)
  if (r.status !== 200) throw new Error(`SIP credentials: ${r.status} ${JSON.stringify(r.body)}`)
  return r.body
}

/**
 * A web-shop order as the shop's signed webhook records it (src/server/ops/webshop.ts), written straight to its
 * table: for the tests of activating with an order. Of MODEL, naming no dongle, 12 months, made now by the
 * service's clock, unless said.
 */
export async function webShopOrder(
  svc: TestService,
  o: { number: string; email: string; model?: string; serial?: string | null; months?: number }
): Promise<string> {
  await svc.service.ctx.db
    .insertInto('orders')
    .values({
      number: o.number,
      email: o.email,
      model: o.model ?? MODEL,
      serial: o.serial ?? null,
      included_months: o.months ?? 12,
      claimed_device_id: null,
      created_at: svc.clock.now().toISOString()
    })
    .execute()
  return o.number
}
