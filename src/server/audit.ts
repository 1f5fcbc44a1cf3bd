/**
 * The audit log of security events (sign-in, failed sign-in, password and email changes, codes, transfers,
 * SIP provisioning). Details are structured and never hold a secret: callers pass what happened, not the token.
 */
import type { Kysely } from 'kysely'
import type { Clock } from './clock'
import type { Database } from './db/schema'
import { newId } from './secrets'

export type AuditKind =
  | 'signin.ok'
  | 'signin.failed'
  | 'signout'
  | 'session.revoked'
  | 'password.reset-requested'
  | 'password.reset-unknown'
  | 'password.reset'
  | 'password.changed'
  | 'signup.phone'
  | 'email.added'
  | 'email.verified'
  | 'email.removed'
  | 'email.preferred'
  | 'contact.changed'
  | 'time-zone.changed'
  | 'language.changed'
  | 'trial.requested'
  | 'trial.activated'
  | 'trial.code-failed'
  | 'trial.code-resent'
  | 'device.activated'
  | 'device.released'
  | 'transfer.requested'
  | 'transfer.code-sent'
  | 'transfer.approved'
  | 'transfer.declined'
  | 'number.assigned'
  | 'number.changed'
  | 'e911.registered'
  | 'ack.recorded'
  | 'sip.enabled'
  | 'sip.disabled'
  | 'sip.credentials-fetched'
  | 'rate-limited'
  | 'autorenew.on'
  | 'autorenew.off'
  | 'subscription.canceled'
  | 'payment-method.added'
  | 'payment-method.removed'
  | 'payment-method.replaced'
  | 'payment-method.default'
  | 'order.failed'
  | 'renewal.charged'
  | 'renewal.failed'
  | 'voucher.redeemed'
  | 'voucher.failed'
  | 'plan-change.scheduled'
  | 'plan-change.canceled'
  | 'plan-change.applied'
  | 'balance.top-up'
  | 'refund.done'
  | 'offer.ordered'
  | 'promised-payment.granted'
  | 'blocked.changed'
  | 'forwarding.changed'
  | 'registry.batch-imported'
  | 'device.attestation-failed'
  | 'promotion.granted'
  // operators' account actions (issue 20)
  | 'account.created-by-operator'
  | 'account.invitation-accepted'
  | 'signin.unlocked-by-operator'
  | 'sessions.ended-by-operator'
  | 'account.recovered-by-operator'
  | 'line.suspended'
  | 'line.restored'
  | 'device.moved-by-operator'
  // support (issue 25)
  | 'support.requested'
  | 'support.replied'
  | 'support.closed'
  // business accounts (issue 25)
  | 'business.refused'
  | 'business.member-invited'
  | 'business.member-reinvited'
  | 'business.member-changed'
  | 'business.member-removed'
  | 'business.invoice-issued'
  | 'business.document-requested'
  | 'business.document-fulfilled'
  // a person's own data (src/server/identity/closure.ts, data-export.ts)
  | 'account.exported'
  | 'account.closure-requested'
  | 'account.closure-cancelled'
  | 'account.closed'

export interface Audit {
  record(
    kind: AuditKind,
    event: { accountId?: string | null; ip?: string | null; detail?: Record<string, unknown> }
  ): Promise<void>
}

export function createAudit(db: Kysely<Database>, clock: Clock): Audit {
  return {
    async record(kind, { accountId = null, ip = null, detail = {} }) {
      await db
        .insertInto('audit_events')
        .values({
          id: newId('aud'),
          at: clock.now().toISOString(),
          account_id: accountId,
          kind,
          ip,
          detail: JSON.stringify(detail)
        })
        .execute()
    }
  }
}
