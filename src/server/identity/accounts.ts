/**
 * Accounts: creating one (from a trial, a purchase or a phone sign-up), finding one by what a person signs in
 * with (a confirmed email, a verified phone, or the number of one of its lines), and the profile: contact details
 * and notification settings. An email is the account's only once confirmed by a code sent to it (a trial's code
 * is such a code); before that it is a claim that signs nobody in and receives no reset, and several accounts may
 * claim one address, so creating an account never tells whether someone else uses the email (issue 21).
 */
import type { z } from 'zod'
import type { AccountProfile } from '../../shared/api/identity'
import { type contactPatch, type notificationPatch, postalAddress } from '../../shared/api/identity'
import { normalizeNanp } from '../../shared/numbers/nanp'
import type { ServiceContext } from '../context'
import type { AccountsTable } from '../db/schema'
import { ServiceError, conflict, invalid, notFound } from '../http/errors'
import { DEFAULT_NOTIFICATIONS } from '../../shared/api/notice-topics'
import { newId } from '../secrets'
import { weakPasswordReason } from './passwords'
import { isTimeZone, localDate, zoneOr } from '../../shared/time/business-dates'
import { DEFAULT_LANGUAGE, LANGUAGE_CODES, type LanguageCode } from '../../shared/i18n/languages'
import { wordsLanguage } from '../words/format'

export interface NewAccount {
  readonly type: AccountsTable['type']
  readonly name: string
  readonly email: string
  readonly emailVerified: boolean
  readonly passwordHash: string
  readonly billingAddress: z.infer<typeof postalAddress> | null
  readonly phone?: { e164: string; verified: boolean }
  /** The computer's IANA zone given at sign-up (validated by the request's schema); UTC when absent. */
  readonly timeZone?: string | null
  /** The app's language at sign-up: the language of every message to the account's people; English when absent. */
  readonly language?: LanguageCode | null
}

/** Refuse a weak password with the reason (before hashing it). */
/**
 * Refuses a weak new password: the reason stays 'weak-password' (what API users have always been told), and the
 * field's issue names the rule it broke, so the app can say which.
 */
export function checkNewPassword(password: string, context: readonly string[], path = 'password'): void {
  const weak = weakPasswordReason(password, context)
  if (weak)
    throw new ServiceError('invalid-input', `${path}: ${weak.message}`, {
      reason: 'weak-password',
      issues: [{ path, code: weak.code, message: weak.message }]
    })
}

/** What a new password of this account must not contain: the account's name and its emails' local parts. */
export async function passwordContext(ctx: ServiceContext, accountId: string): Promise<string[]> {
  const account = await ctx.db
    .selectFrom('accounts')
    .select('name')
    .where('id', '=', accountId)
    .executeTakeFirst()
  const emails = await ctx.db
    .selectFrom('account_emails')
    .select('address')
    .where('account_id', '=', accountId)
    .execute()
  return [account?.name ?? '', ...emails.map((e) => e.address.split('@')[0] ?? '')]
}

/** The account that has confirmed this address, if any (at most one: a unique index on confirmed addresses). */
export async function emailOwner(ctx: ServiceContext, address: string): Promise<string | null> {
  const row = await ctx.db
    .selectFrom('account_emails')
    .select('account_id')
    .where('address', '=', address)
    .where('verified_at', 'is not', null)
    .executeTakeFirst()
  return row?.account_id ?? null
}

/**
 * A new account with its original email: confirmed when the caller proved it (a trial's code), otherwise a claim
 * that a code must confirm (see claimEmail in ./emails). Only a confirmed email can collide, and only someone
 * who read the code in that mailbox can reach that refusal.
 */
export async function createAccount(ctx: ServiceContext, a: NewAccount): Promise<string> {
  if (a.emailVerified && (await emailOwner(ctx, a.email)) !== null)
    throw conflict('email-taken', 'an account already uses this email; sign in to add the device to it')
  const now = ctx.clock.now().toISOString()
  const id = newId('acc')
  await ctx.db
    .insertInto('accounts')
    .values({
      id,
      type: a.type,
      status: 'active',
      name: a.name,
      company: null,
      contact_phone: a.phone?.e164 ?? null,
      billing_address: a.billingAddress ? JSON.stringify(a.billingAddress) : null,
      notifications: JSON.stringify(DEFAULT_NOTIFICATIONS),
      password_hash: a.passwordHash,
      timezone: zoneOr(a.timeZone),
      language: a.language ?? DEFAULT_LANGUAGE,
      created_at: now,
      updated_at: now
    })
    .execute()
  await ctx.db
    .insertInto('account_emails')
    .values({
      id: newId('eml'),
      account_id: id,
      address: a.email,
      role: 'original',
      verified_at: a.emailVerified ? now : null,
      preferred: 1,
      created_at: now
    })
    .execute()
  if (a.phone)
    await ctx.db
      .insertInto('account_phones')
      .values({
        account_id: id,
        e164: a.phone.e164,
        verified_at: a.phone.verified ? now : null,
        created_at: now
      })
      .execute()
  return id
}

/** The account a sign-in identifier names, or null. Old numbers stop working the moment a line changes number. */
export async function findAccountByIdentifier(
  ctx: ServiceContext,
  identifier: string
): Promise<{ id: string; password_hash: string; status: string; language?: string | null } | null> {
  const trimmed = identifier.trim()
  let accountId: string | undefined
  if (trimmed.includes('@')) {
    // Only a confirmed address names an account: an unconfirmed one may have been typed by anybody.
    accountId = (await emailOwner(ctx, trimmed.toLowerCase())) ?? undefined
  } else {
    const e164 = normalizeNanp(trimmed)
    if (e164) {
      const phone = await ctx.db
        .selectFrom('account_phones')
        .select('account_id')
        .where('e164', '=', e164)
        .where('verified_at', 'is not', null)
        .executeTakeFirst()
      const line = phone
        ? undefined
        : await ctx.db
            .selectFrom('lines')
            .select('account_id')
            .where('phone_number', '=', e164)
            .where('status', '!=', 'closed')
            .executeTakeFirst()
      accountId = phone?.account_id ?? line?.account_id
    }
  }
  if (!accountId) return null
  const account = await ctx.db
    .selectFrom('accounts')
    .select(['id', 'password_hash', 'status', 'language'])
    .where('id', '=', accountId)
    .executeTakeFirst()
  return account ?? null
}

/** An account's row with its emails (oldest first) and phones; `account-not-found` when there is none. */
export async function accountRows(ctx: ServiceContext, accountId: string) {
  const a = await ctx.db.selectFrom('accounts').selectAll().where('id', '=', accountId).executeTakeFirst()
  if (!a) throw notFound('account-not-found', 'the account')
  const emails = await ctx.db
    .selectFrom('account_emails')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .execute()
  const phones = await ctx.db
    .selectFrom('account_phones')
    .selectAll()
    .where('account_id', '=', accountId)
    .execute()
  return { a, emails, phones }
}

export async function getProfile(ctx: ServiceContext, accountId: string): Promise<AccountProfile> {
  const { a, emails, phones } = await accountRows(ctx, accountId)
  return {
    id: a.id,
    type: a.type,
    status: a.status,
    contact: {
      name: a.name,
      company: a.company,
      phone: a.contact_phone,
      billingAddress: a.billing_address ? postalAddress.parse(JSON.parse(a.billing_address)) : null
    },
    emails: emails.map((e) => ({
      id: e.id,
      address: e.address,
      role: e.role,
      verified: e.verified_at !== null,
      preferred: e.preferred === 1
    })),
    phones: phones.map((p) => ({ e164: p.e164, verified: p.verified_at !== null })),
    notifications: { ...DEFAULT_NOTIFICATIONS, ...JSON.parse(a.notifications), security: true },
    language: wordsLanguage(a.language),
    timeZone: a.timezone,
    today: localDate(ctx.clock.now(), zoneOr(a.timezone)),
    createdAt: a.created_at
  }
}

export async function updateContact(
  ctx: ServiceContext,
  accountId: string,
  patch: z.infer<typeof contactPatch>
): Promise<void> {
  const set: Partial<AccountsTable> = { updated_at: ctx.clock.now().toISOString() }
  if (patch.name !== undefined) set.name = patch.name
  if (patch.company !== undefined) set.company = patch.company
  if (patch.phone !== undefined) set.contact_phone = patch.phone
  if (patch.billingAddress !== undefined)
    set.billing_address = patch.billingAddress ? JSON.stringify(patch.billingAddress) : null
  await ctx.db.updateTable('accounts').set(set).where('id', '=', accountId).execute()
}

export async function updateNotifications(
  ctx: ServiceContext,
  accountId: string,
  patch: z.infer<typeof notificationPatch>
): Promise<void> {
  const profile = await getProfile(ctx, accountId)
  const next = { ...profile.notifications, ...patch, security: true }
  await ctx.db
    .updateTable('accounts')
    .set({ notifications: JSON.stringify(next), updated_at: ctx.clock.now().toISOString() })
    .where('id', '=', accountId)
    .execute()
}

/** The language of the service's messages to the account's people (validated by the route's schema). */
export async function setMessageLanguage(
  ctx: ServiceContext,
  accountId: string,
  language: LanguageCode
): Promise<void> {
  if (!(LANGUAGE_CODES as readonly string[]).includes(language))
    throw invalid('language', 'not one of the app’s languages', 'invalid-input')
  await ctx.db
    .updateTable('accounts')
    .set({ language, updated_at: ctx.clock.now().toISOString() })
    .where('id', '=', accountId)
    .execute()
}

/** Moves the account's business dates to another IANA zone (validated by the route's schema). */
export async function setTimeZone(ctx: ServiceContext, accountId: string, timeZone: string): Promise<void> {
  if (!isTimeZone(timeZone)) throw invalid('timeZone', 'not an IANA time zone', 'invalid-input')
  await ctx.db
    .updateTable('accounts')
    .set({ timezone: timeZone, updated_at: ctx.clock.now().toISOString() })
    .where('id', '=', accountId)
    .execute()
}
