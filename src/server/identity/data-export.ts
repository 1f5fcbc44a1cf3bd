/**
 * "Download my data": everything the service holds about the account, as one JSON document in the format of
 * src/shared/api/privacy.ts accountExport (the app saves it as a file). Read by the account id only, so nothing of
 * another account can be in it; and never a secret: no password hash, session token, SIP password, card token,
 * one-time code or message body that carried one (the outbox is not exported), no voicemail audio (the app plays
 * it; the list says what there is). Card brand, last four digits and expiry are the person's own and are in it, and
 * so is what the service recorded of the account's activity (sign-ins, resets, changes; the audit lines, with the
 * addresses they came from), without the operator who acted. A business's member downloads their own sign-in's
 * data (its profile, emails, sessions, activity) and the memberships it holds, never the business's (access.ts).
 */
import { EXPORT_FORMAT, EXPORT_VERSION, type AccountExport } from '../../shared/api/privacy'
import type { ServiceContext } from '../context'
import { DEFAULT_NOTIFICATIONS } from '../../shared/api/notice-topics'
import { CURRENCY } from '../billing/balance'
import { accountRows } from './accounts'

const parsed = (json: string | null): Record<string, unknown> | null =>
  json === null ? null : (JSON.parse(json) as Record<string, unknown>)

/**
 * What the service recorded of an event on the account, as the person may read it: without the operator who acted
 * (a member of staff's identifier is theirs, not the account's); a detail that is not an object is left out.
 */
function personalDetail(json: string): Record<string, unknown> {
  let d: unknown
  try {
    d = JSON.parse(json)
  } catch {
    return {}
  }
  if (d === null || typeof d !== 'object' || Array.isArray(d)) return {}
  const { operator: _operator, ...rest } = d as Record<string, unknown>
  return rest
}

export async function exportAccountData(ctx: ServiceContext, accountId: string): Promise<AccountExport> {
  const db = ctx.db
  const { a, emails, phones } = await accountRows(ctx, accountId)
  const lines = await db
    .selectFrom('lines')
    .innerJoin('devices', 'devices.id', 'lines.device_id')
    .select([
      'lines.id',
      'lines.status',
      'lines.phone_number',
      'lines.label',
      'lines.created_at',
      'lines.closed_at',
      'devices.serial'
    ])
    .where('lines.account_id', '=', accountId)
    .orderBy('lines.created_at')
    .execute()
  const lineIds = lines.length > 0 ? lines.map((l) => l.id) : ['']
  const numbers = await db
    .selectFrom('number_history')
    .selectAll()
    .where('line_id', 'in', lineIds)
    .orderBy('assigned_at')
    .execute()
  const e911 = await db
    .selectFrom('e911_addresses')
    .selectAll()
    .where('line_id', 'in', lineIds)
    .orderBy('registered_at')
    .execute()
  const devices = await db
    .selectFrom('devices')
    .select(['serial', 'model', 'purchase_channel', 'created_at'])
    .where('owner_account_id', '=', accountId)
    .orderBy('created_at')
    .execute()
  const subscriptions = await db
    .selectFrom('subscriptions')
    .innerJoin('plans', 'plans.id', 'subscriptions.plan_id')
    .select([
      'subscriptions.line_id',
      'plans.code',
      'subscriptions.status',
      'subscriptions.auto_renew',
      'subscriptions.created_at',
      'subscriptions.canceled_at'
    ])
    .where('subscriptions.account_id', '=', accountId)
    .orderBy('subscriptions.created_at')
    .execute()
  const coverage = await db
    .selectFrom('coverage_grants')
    .select(['line_id', 'starts_at', 'ends_at', 'source_type', 'voided_at'])
    .where('line_id', 'in', lineIds)
    .orderBy('starts_at')
    .execute()
  const cards = await db
    .selectFrom('payment_methods')
    .select(['brand', 'last4', 'exp_month', 'exp_year', 'created_at', 'removed_at'])
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .execute()
  const balance = await db
    .selectFrom('balance_entries')
    .select(['created_at', 'kind', 'amount_minor', 'currency', 'memo'])
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .execute()
  const invoices = await db
    .selectFrom('invoices')
    .select(['number', 'period', 'total_minor', 'currency', 'issued_at'])
    .where('account_id', '=', accountId)
    .orderBy('issued_at')
    .execute()
  const calls = await db
    .selectFrom('usage_records')
    .select([
      'line_id',
      'started_at',
      'destination',
      'seconds',
      'billed_minutes',
      'zone',
      'amount_minor',
      'forwarded_from'
    ])
    .where('account_id', '=', accountId)
    .orderBy('started_at')
    .execute()
  const voicemail = await db
    .selectFrom('voicemail_messages')
    .select(['line_id', 'caller', 'caller_name', 'reason', 'received_at', 'duration_ms', 'heard_at'])
    .where('account_id', '=', accountId)
    .orderBy('received_at')
    .execute()
  const requests = await db
    .selectFrom('support_requests')
    .select(['id', 'topic', 'status', 'created_at', 'closed_at'])
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .execute()
  const messages = await db
    .selectFrom('support_messages')
    .select(['request_id', 'author', 'text', 'created_at'])
    .where('request_id', 'in', requests.length > 0 ? requests.map((r) => r.id) : [''])
    .orderBy('position')
    .execute()
  const sessions = await db
    .selectFrom('sessions')
    .select(['client', 'ip', 'created_at', 'last_seen_at', 'expires_at', 'revoked_at'])
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .execute()
  const activity = await db
    .selectFrom('audit_events')
    .select(['at', 'kind', 'ip', 'detail'])
    .where('account_id', '=', accountId)
    .orderBy('at')
    .orderBy('id')
    .execute()
  const closures = await db
    .selectFrom('account_closures')
    .select(['status', 'requested_at', 'closes_at', 'ended_at'])
    .where('account_id', '=', accountId)
    .orderBy('requested_at')
    .execute()
  // A member's own sign-in (the export of a member acts on it: access.ts): the businesses it works for.
  const memberships = await db
    .selectFrom('business_members as m')
    .innerJoin('accounts as b', 'b.id', 'm.account_id')
    .leftJoin('lines as l', 'l.id', 'm.line_id')
    .select(['b.name', 'b.company', 'm.role', 'l.phone_number', 'm.created_at'])
    .where('m.person_id', '=', accountId)
    .orderBy('m.created_at')
    .execute()
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: ctx.clock.now().toISOString(),
    account: {
      id: a.id,
      type: a.type,
      status: a.status,
      name: a.name,
      company: a.company,
      contactPhone: a.contact_phone,
      billingAddress: parsed(a.billing_address),
      language: a.language ?? null,
      timeZone: a.timezone,
      notifications: { ...DEFAULT_NOTIFICATIONS, ...parsed(a.notifications) },
      createdAt: a.created_at
    },
    emails: emails.map((e) => ({
      address: e.address,
      role: e.role,
      confirmedAt: e.verified_at,
      preferred: e.preferred === 1,
      addedAt: e.created_at
    })),
    phones: phones.map((p) => ({ e164: p.e164, verifiedAt: p.verified_at, addedAt: p.created_at })),
    lines: lines.map((l) => ({
      id: l.id,
      status: l.status,
      number: l.phone_number,
      label: l.label,
      deviceSerial: l.serial,
      createdAt: l.created_at,
      closedAt: l.closed_at,
      numbers: numbers
        .filter((n) => n.line_id === l.id)
        .map((n) => ({
          number: n.e164,
          assignedAt: n.assigned_at,
          releasedAt: n.released_at,
          reason: n.reason
        })),
      e911Addresses: e911
        .filter((e) => e.line_id === l.id)
        .map((e) => ({
          street: e.street,
          unit: e.unit,
          city: e.city,
          region: e.region,
          postalCode: e.postal_code,
          country: e.country,
          registeredAt: e.registered_at,
          supersededAt: e.superseded_at
        }))
    })),
    devices: devices.map((d) => ({
      serial: d.serial,
      model: d.model,
      channel: d.purchase_channel,
      addedAt: d.created_at
    })),
    subscriptions: subscriptions.map((s) => ({
      lineId: s.line_id,
      plan: s.code,
      status: s.status,
      autoRenew: s.auto_renew === 1,
      createdAt: s.created_at,
      canceledAt: s.canceled_at
    })),
    coverage: coverage.map((c) => ({
      lineId: c.line_id,
      startsAt: c.starts_at,
      endsAt: c.ends_at,
      source: c.source_type,
      voidedAt: c.voided_at
    })),
    cards: cards.map((c) => ({
      brand: c.brand,
      last4: c.last4,
      expMonth: c.exp_month,
      expYear: c.exp_year,
      addedAt: c.created_at,
      removedAt: c.removed_at
    })),
    balance: balance.map((b) => ({
      at: b.created_at,
      kind: b.kind,
      amountMinor: Number(b.amount_minor),
      currency: b.currency,
      memo: b.memo
    })),
    invoices: invoices.map((i) => ({
      number: i.number,
      period: i.period,
      totalMinor: Number(i.total_minor),
      currency: i.currency,
      issuedAt: i.issued_at
    })),
    calls: calls.map((c) => ({
      lineId: c.line_id,
      startedAt: c.started_at,
      destination: c.destination,
      seconds: Number(c.seconds),
      billedMinutes: Number(c.billed_minutes),
      zone: c.zone,
      amountMinor: Number(c.amount_minor),
      currency: CURRENCY,
      forwardedFrom: c.forwarded_from
    })),
    voicemail: voicemail.map((v) => ({
      lineId: v.line_id,
      caller: v.caller,
      callerName: v.caller_name,
      reason: v.reason,
      receivedAt: v.received_at,
      durationMs: Number(v.duration_ms),
      heardAt: v.heard_at
    })),
    support: requests.map((r) => ({
      id: r.id,
      topic: r.topic,
      status: r.status,
      createdAt: r.created_at,
      closedAt: r.closed_at,
      messages: messages
        .filter((m) => m.request_id === r.id)
        .map((m) => ({ from: m.author, at: m.created_at, text: m.text }))
    })),
    sessions: sessions.map((s) => ({
      client: s.client,
      address: s.ip,
      createdAt: s.created_at,
      lastSeenAt: s.last_seen_at,
      expiresAt: s.expires_at,
      revokedAt: s.revoked_at
    })),
    closures: closures.map((c) => ({
      status: c.status,
      requestedAt: c.requested_at,
      closesAt: c.closes_at,
      endedAt: c.ended_at
    })),
    memberships: memberships.map((m) => ({
      business: m.company ?? m.name,
      role: m.role,
      lineNumber: m.phone_number,
      since: m.created_at
    })),
    activity: activity.map((e) => ({
      at: e.at,
      kind: e.kind,
      address: e.ip,
      detail: personalDetail(e.detail)
    }))
  }
}
