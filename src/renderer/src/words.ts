/**
 * The one place that turns what main and the service send — error codes and reasons, field issues, ledger memo
 * codes, notices, plan codes — into sentences in the person's language (locale sections "errors", "memo",
 * "notice", "catalog"). Nothing here ever shows an English message from the wire: a code the app does not know
 * becomes one generic sentence with a support reference the person can quote (the code, the reason and a short
 * hash of the message, so support can find it in the log without the screen showing developer text).
 */
import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import { FIELD_ISSUE_CODES, type WireIssue } from '../../shared/api/issues'
import type { AUTO_RENEW_BLOCKERS } from '../../shared/api/billing'
import { FORMAT_CODES } from '../../shared/api/formats'
import { MEMO_CODES, NOTICE_CODES } from '../../shared/api/notes'
import { isReasonCode, type ReasonParams } from '../../shared/api/reasons'
import { isolate } from '../../shared/i18n/bidi'
import { ERROR_CODES, type DialtoneError } from '../../shared/ipc/errors'
import type { AccountRole } from '../../shared/api/business'
import { useRole } from './components/business/role-context'
import { formatDay, formatMonth } from './format-intl'
import { asksOwner } from './remedies'
import { usePhoneNumbers } from './phone-numbers'

const has = (list: readonly string[], v: unknown): boolean => typeof v === 'string' && list.includes(v)

/** FNV-1a, 32 bits, as 6 hex digits: enough to tell log lines apart, not to recover the text. */
function shortHash(s: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0).toString(16).padStart(8, '0').slice(0, 6)
}

/** What a person quotes to support: only codes and a hash, never the message itself. */
export function supportReference(error: Pick<DialtoneError, 'code' | 'reason' | 'message'>): string {
  const safe = (v: string | undefined): string => (v ?? '').replace(/[^A-Za-z0-9_-]/g, '').slice(0, 40)
  return [safe(error.code) || 'ERR', safe(error.reason), shortHash(error.message)].filter(Boolean).join('-')
}

export interface Words {
  /** Why a command failed, as one sentence. */
  error(error: DialtoneError): string
  /** One field's refusal. */
  issue(issue: Pick<WireIssue, 'code' | 'params'>): string
  /** A ledger entry's memo. */
  memo(code: string, params: ReasonParams): string
  /** A notice before paying or changing plans. */
  notice(code: string, params: ReasonParams): string
  /** A plan's name by its code. */
  plan(code: string): string
  /** A card brand's proper name by the processor's code ('visa' -> 'Visa'); 'Card' for one the app does not know. */
  cardBrand(code: string): string
  /** A device offer's name and description by its id ('' when the app has no words for it). */
  offerName(id: string): string
  offerDescription(id: string): string
}

/** The words for a card brand, one way on every screen (saved cards, paying, receipts). */
export function cardBrandName(t: TFunction, code: string): string {
  const known = /^[a-z_]{1,20}$/.test(code) && code !== 'card'
  return known ? t(`orders.brand.${code}`, { defaultValue: t('orders.brand.card') }) : t('orders.brand.card')
}

/**
 * The values a sentence needs, worded: dates and months in the person's calendar, numbers in the language's digits
 * and isolated for RTL, and `count` for the plural form.
 */
function wordParams(
  t: TFunction,
  lang: string,
  params: ReasonParams | undefined,
  phone: (n: string) => string
): Record<string, string | number> {
  const out: Record<string, string | number> = {}
  for (const [k, v] of Object.entries(params ?? {})) {
    const s = String(v)
    if (k === 'format') out[k] = t(has(FORMAT_CODES, s) ? `errors.format.${s}` : 'errors.format.other')
    else if (k === 'plan' || k === 'from' || k === 'to') out[k] = planName(t, s)
    else if (k === 'number') out[k] = isolate(phone(s))
    else if (k === 'service') out[k] = t(`services.feature.${s}`, { defaultValue: t('services.unknown') })
    else if (k === 'retryAfterS') out.delay = isolate(waitWords(lang, Number(v)))
    else if (/^\d{4}-\d{2}-\d{2}$/.test(s)) out[k] = isolate(formatDay(s, lang))
    else if (/^\d{4}-\d{2}$/.test(s)) out[k] = isolate(formatMonth(s, lang))
    else if (typeof v === 'number') out[k] = isolate(new Intl.NumberFormat(lang).format(v))
    else out[k] = isolate(s)
  }
  // The one number a sentence has is what it counts ("at most {{max}} numbers"): it picks the plural form.
  const numbers = Object.values(params ?? {}).filter((v) => typeof v === 'number')
  if (numbers.length === 1) out.count = numbers[0] as number
  return out
}

/**
 * A wait in the unit people count it in, rounded up: minutes up to two hours, hours up to two days, then days (a
 * limit of a few a month said "43,200 minutes").
 */
export function waitWords(lang: string, seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60))
  const [unit, count] =
    minutes <= 120
      ? (['minute', minutes] as const)
      : minutes <= 48 * 60
        ? (['hour', Math.ceil(minutes / 60)] as const)
        : (['day', Math.ceil(minutes / (24 * 60))] as const)
  return new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'long' }).format(count)
}

function planName(t: TFunction, code: string): string {
  return t(`catalog.plan.${code}`, { defaultValue: t('catalog.planUnknown') })
}

/**
 * `phone` shows a phone number as people read it (usePhoneNumbers); plain by default (tests of the words). `role`
 * is the signed-in person's on the account: a member is asked to turn to the owner where the place to act is the
 * owner's (remedies.ts, `asksOwner`).
 */
export function wordsFor(
  t: TFunction,
  lang: string,
  phone: (n: string) => string = (n) => n,
  role: AccountRole = 'owner'
): Words {
  const issue: Words['issue'] = ({ code, params }) => {
    const p = wordParams(t, lang, params, phone)
    if (has(FIELD_ISSUE_CODES, code)) return t(`errors.field.${code}`, p)
    if (isReasonCode(code)) return t(`errors.reason.${code}`, p)
    return t('errors.field.invalid', p)
  }
  return {
    error(error) {
      const p = wordParams(t, lang, error.params, phone)
      if (asksOwner(error.reason, role)) return t(`errors.askOwner.${error.reason}`, p)
      if (isReasonCode(error.reason)) return t(`errors.reason.${error.reason}`, p)
      if (error.reason === undefined && has(ERROR_CODES, error.code)) return t(`errors.code.${error.code}`, p)
      return t('errors.generic', { reference: isolate(supportReference(error)) })
    },
    issue,
    memo(code, params) {
      return t(`memo.${has(MEMO_CODES, code) ? code : 'other'}`, wordParams(t, lang, params, phone))
    },
    notice(code, params) {
      return has(NOTICE_CODES, code)
        ? t(`notice.${code}`, wordParams(t, lang, params, phone))
        : t('errors.generic', {
            reference: isolate(`notice-${code.replace(/[^a-z0-9-]/g, '').slice(0, 40)}`)
          })
    },
    plan: (code) => planName(t, code),
    cardBrand: (code) => cardBrandName(t, code),
    offerName: (id) => t(`catalog.offer.${id}.name`, { defaultValue: t('catalog.offerUnknown') }),
    offerDescription: (id) => t(`catalog.offer.${id}.description`, { defaultValue: '' })
  }
}

/** The wording functions in the current language. */
export function useWords(): Words {
  const { t, i18n } = useTranslation()
  const phone = usePhoneNumbers()
  return wordsFor(t, i18n.language, phone, useRole())
}

type AutoRenewBlocker = (typeof AUTO_RENEW_BLOCKERS)[number]

/**
 * What keeps auto-renew off, as worded (renewal.blockers). The service sends `plan-not-eligible` also for a line
 * with no plan yet (a trial: no subscription); "this plan cannot renew" is wrong there, so it reads `no-plan`:
 * auto-renew comes once a plan is chosen. Decided here so apps and services of different ages still agree.
 */
export function blockersToSay(sub: {
  plan: unknown
  autoRenew: { blockedBy: readonly AutoRenewBlocker[] }
}): (AutoRenewBlocker | 'no-plan')[] {
  return sub.autoRenew.blockedBy.map((b) => (b === 'plan-not-eligible' && sub.plan === null ? 'no-plan' : b))
}
