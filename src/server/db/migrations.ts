/**
 * The schema, as ordered migrations that run unchanged on SQLite and PostgreSQL (Kysely's schema builder; the
 * one dialect difference is the auto-increment id of Kamailio's own tables). Rules learned the hard way with
 * Kamailio sharing this database (reference/research/kamailio-db.md): never change Kamailio's columns or its
 * `version` rows without changing its config, and keep migrations short, because Kamailio reads while they run.
 */
import { type Kysely, type Migration, type MigrationProvider } from 'kysely'
import { accountActions } from './migration-accounts'
import { billing } from './migration-billing'
import { carrierRoutes } from './migration-carrier-routes'
import { carrierViewTypes } from './migration-carrier-view-types'
import { cardPaidAt } from './migration-card-paid-at'
import { deviceRegistry } from './migration-device-registry'
import { emailClaims } from './migration-email-claims'
import { forwarding } from './migration-forwarding'
import { forwardedLegs } from './migration-forwarded-legs'
import { invoiceContent } from './migration-invoice-content'
import { lineLabels } from './migration-line-labels'
import { linePolicy } from './migration-line-policy'
import { memoCodes } from './migration-memo-codes'
import { numberRanges } from './migration-numbers'
import { operators } from './migration-operators'
import { refunds } from './migration-money'
import { renewalFulfil } from './migration-renewal-fulfil'
import { orderKey } from './migration-order-key'
import { jobIndexes } from './migration-job-indexes'
import { settleRetries } from './migration-settle-retries'
import { topUps } from './migration-top-ups'
import { deviceProofs } from './migration-device-proofs'
import { removedMembers } from './migration-removed-members'
import { grantThrough } from './migration-grant-through'
import { messageLanguage } from './migration-message-language'
import { paidOrderRecord } from './migration-paid-order-record'
import { promotions } from './migration-promotions'
import { orderCards } from './migration-order-cards'
import { deviceOrders } from './migration-offers'
import { signinThrottle } from './migration-signin-throttle'
import { services } from './migration-services'
import { support } from './migration-support'
import { business } from './migration-business'
import { accountClosures } from './migration-account-closures'
import { callCredit, callCreditRated } from './migration-call-credit'
import { trialCopies } from './migration-trial-copies'
import { serviceOffReason } from './migration-service-off-reason'
import { serviceFeePaid } from './migration-service-fee-paid'
import { invoiceWindow } from './migration-invoice-window'
import { transferCodes } from './migration-transfer-codes'
import { trialTimeZone } from './migration-trial-time-zone'
import { voicemail } from './migration-voicemail'
import { kamailio } from './migration-kamailio'

export type Dialect = 'sqlite' | 'postgres'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's types
type AnyDb = Kysely<any>

function identity(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('company', 'text')
        .addColumn('contact_phone', 'text')
        .addColumn('billing_address', 'text')
        .addColumn('notifications', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('timezone', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('account_emails')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('address', 'text', (c) => c.notNull().unique())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('verified_at', 'text')
        .addColumn('preferred', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('account_emails_account')
        .on('account_emails')
        .column('account_id')
        .execute()
      await db.schema
        .createTable('account_phones')
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('e164', 'text', (c) => c.notNull().unique())
        .addColumn('verified_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('client', 'text')
        .addColumn('ip', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute()
      await db.schema.createIndex('sessions_account').on('sessions').column('account_id').execute()
      await db.schema
        .createTable('one_time_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text')
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('consumed_at', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('one_time_tokens_lookup')
        .on('one_time_tokens')
        .columns(['purpose', 'token_hash'])
        .execute()
      await db.schema
        .createIndex('one_time_tokens_subject')
        .on('one_time_tokens')
        .columns(['purpose', 'subject'])
        .execute()
      await db.schema
        .createTable('audit_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('ip', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('audit_events_account')
        .on('audit_events')
        .columns(['account_id', 'at'])
        .execute()
      await db.schema
        .createTable('rate_limits')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('recipient', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('body', 'text')
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .execute()
      await db.schema
        .createIndex('outbox_pending')
        .on('outbox')
        .columns(['sent_at', 'next_attempt_at'])
        .execute()
    }
  }
}

function devices(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('devices')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('serial', 'text', (c) => c.notNull().unique())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('owner_account_id', 'text', (c) => c.references('accounts.id'))
        .addColumn('purchase_channel', 'text')
        .addColumn('order_number', 'text')
        .addColumn('trial_used_at', 'text')
        .addColumn('included_service_used_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('trial_requests')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('serial', 'text', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('account_type', 'text', (c) => c.notNull())
        .addColumn('billing_address', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text')
        .addColumn('area_code', 'text', (c) => c.notNull())
        .addColumn('terms_version', 'text', (c) => c.notNull())
        .addColumn('e911_version', 'text', (c) => c.notNull())
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('consumed_at', 'text')
        .addColumn('ip', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('trial_requests_serial').on('trial_requests').column('serial').execute()
      await db.schema
        .createTable('orders')
        .addColumn('number', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('serial', 'text')
        .addColumn('included_months', 'integer', (c) => c.notNull())
        .addColumn('claimed_device_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('lines')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('phone_number', 'text')
        .addColumn('payment_method_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('closed_at', 'text')
        .execute()
      await db.schema.createIndex('lines_account').on('lines').column('account_id').execute()
      await db.schema.createIndex('lines_device').on('lines').column('device_id').execute()
      await db.schema
        .createTable('coverage_grants')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('line_id', 'text', (c) => c.notNull().references('lines.id'))
        .addColumn('starts_at', 'text', (c) => c.notNull())
        .addColumn('ends_at', 'text', (c) => c.notNull())
        .addColumn('source_type', 'text', (c) => c.notNull())
        .addColumn('source_id', 'text', (c) => c.notNull())
        .addColumn('voided_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('coverage_grants_source', ['source_type', 'source_id'])
        .execute()
      await db.schema.createIndex('coverage_grants_line').on('coverage_grants').column('line_id').execute()
      await db.schema
        .createTable('number_pool')
        .addColumn('e164', 'text', (c) => c.primaryKey())
        .addColumn('area_code', 'text', (c) => c.notNull())
        .addColumn('country', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('line_id', 'text')
        .addColumn('available_from', 'text')
        .execute()
      await db.schema
        .createIndex('number_pool_area')
        .on('number_pool')
        .columns(['area_code', 'status'])
        .execute()
      await db.schema
        .createTable('number_history')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('line_id', 'text', (c) => c.notNull())
        .addColumn('e164', 'text', (c) => c.notNull())
        .addColumn('assigned_at', 'text', (c) => c.notNull())
        .addColumn('released_at', 'text')
        .addColumn('reason', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('number_history_line').on('number_history').column('line_id').execute()
      await db.schema
        .createTable('e911_addresses')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('line_id', 'text', (c) => c.notNull().references('lines.id'))
        .addColumn('street', 'text', (c) => c.notNull())
        .addColumn('unit', 'text', (c) => c.notNull())
        .addColumn('city', 'text', (c) => c.notNull())
        .addColumn('region', 'text', (c) => c.notNull())
        .addColumn('postal_code', 'text', (c) => c.notNull())
        .addColumn('country', 'text', (c) => c.notNull())
        .addColumn('registered_at', 'text', (c) => c.notNull())
        .addColumn('superseded_at', 'text')
        .addColumn('registered_by', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('e911_addresses_line').on('e911_addresses').column('line_id').execute()
      await db.schema
        .createTable('acknowledgements')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('device_id', 'text')
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('ip', 'text')
        .execute()
      await db.schema
        .createTable('device_transfers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
        .addColumn('from_account_id', 'text', (c) => c.notNull())
        .addColumn('to_account_id', 'text', (c) => c.notNull())
        .addColumn('area_code', 'text', (c) => c.notNull())
        .addColumn('terms_version', 'text', (c) => c.notNull())
        .addColumn('e911_version', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('decided_at', 'text')
        .execute()
    }
  }
}

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return {
    getMigrations: async () => ({
      // 0014 promotions (issue 20)
      '0014_promotions': promotions(),

      // 0015 account actions (issue 20)
      '0015_account_actions': accountActions(),

      // 0016 money (issue 20)
      '0016_refunds': refunds(),

      // 0017 numbers and reports (issue 20)
      '0017_number_ranges': numberRanges(),

      '0001_identity': identity(),
      '0002_devices_lines_numbers': devices(),
      '0003_kamailio_provisioning': kamailio(dialect),
      '0004_billing': billing(),
      '0005_device_orders': deviceOrders(),
      '0006_line_labels': lineLabels(),
      '0007_memo_codes': memoCodes(),
      '0008_signin_throttle': signinThrottle(),
      '0009_device_registry': deviceRegistry(),
      '0010_email_claims': emailClaims(dialect),
      '0011_order_cards': orderCards(),
      '0012_trial_time_zone': trialTimeZone(),
      '0013_operators': operators(dialect),
      '0018_carrier_routes': carrierRoutes(dialect),
      '0019_line_policy': linePolicy(),
      '0020_forwarding': forwarding(),
      '0021_voicemail': voicemail(dialect),
      // 0022 Kamailio's carrier views with string columns on PostgreSQL (issue 22)
      '0022_carrier_view_types': carrierViewTypes(dialect),
      // 0023 support (issue 25)
      '0023_support': support(),
      // 0024 connected services (issue 25)
      '0024_services': services(),
      // 0025 business accounts (issue 25)
      '0025_business': business(dialect),
      // 0026 a forwarded call's leg out to a carrier, charged to the forwarding line (issue 23)
      '0026_forwarded_legs': forwardedLegs(dialect),
      // 0028 when an order's card payment went through: invoices count card payments by it (issue 25)
      '0028_card_paid_at': cardPaidAt(),
      // 0029 an invoice's content, rendered in the reader's language (issue 25)
      '0029_invoice_content': invoiceContent(),
      // 0030 a renewal's fulfilment in one round trip on PostgreSQL (issue 24 goal 8)
      '0030_renewal_fulfil': renewalFulfil(dialect),
      // 0031 a checkout's idempotency key, lease and answer kept in its order (issue 24 goal 8)
      '0031_order_key': orderKey(dialect),
      // 0032 a line's live grants by end, so its paid-through is one index entry (issue 24 goal 8)
      '0032_grant_through': grantThrough(),
      // 0033 the language a trial's code and the account it makes are written to in
      '0033_message_language': messageLanguage(),
      // 0034 a paid order recorded once, in the order: no audit row beside it (issue 24 goal 8)
      '0034_paid_order_record': paidOrderRecord(dialect),
      // 0035 what the periodic jobs read each pass, by index: the outbox's unforgotten bodies by age, an account's
      // messages by purpose, the answered calls not yet rated, and the open promised payments, plan changes and
      // active vouchers (docs/billing-jobs.md)
      '0035_job_indexes': jobIndexes(),
      // 0036 orders and refunds the jobs could not settle, tried again later; orders by when they were made
      '0036_settle_retries': settleRetries(),
      // 0037 a card top-up recorded before its charge, so a crash between the two is finished, not lost
      '0037_top_ups': topUps(),
      // 0038 who revoked a factory key and why; proofs of purchase support accepted for dongles that cannot attest
      '0038_device_proofs': deviceProofs(),
      // 0039 the people removed from a business before removing erased them: erased now, their addresses free
      '0039_removed_members': removedMembers(),
      // 0040 a person's request to close their account, its 30 days of grace and how it ended
      '0040_account_closures': accountClosures(),
      // 0041 what an account can spend on a call abroad, read by Kamailio before the call (resources/kamailio/credit.cfg)
      '0041_call_credit': callCredit(dialect),
      // 0042 a used trial request's copies of the password's hash and the billing address, cleared
      '0042_trial_copies': trialCopies(),
      // 0043 the minutes of calls abroad the rating has charged, beside the credit (credit.cfg, route[CREDIT_ENDED])
      '0043_call_credit_rated': callCreditRated(dialect),
      // 0044 when a transfer request's code was emailed to the dongle's owner (none past the dongle's day's emails)
      '0044_transfer_codes': transferCodes(),
      // 0045 why a paid service is off: the balance did not cover its month (src/server/services/service-fees.ts)
      '0045_service_off_reason': serviceOffReason(),
      // 0046 what a paid service's month took from the balance: the most a switch off gives back
      '0046_service_fee_paid': serviceFeePaid(),
      // 0047 the instants an invoice covers: the next month's starts where it ended, whatever the zone did between
      '0047_invoice_window': invoiceWindow()
    })
  }
}
