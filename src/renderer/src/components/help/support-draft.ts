/**
 * A written request, begun where the app says one is needed: a company's tariff change and withdrawing one are
 * taken only by written request (seed 003), and the app's written channel to the provider is the support request
 * on Help. So "send a written request" links to Help with the request's kind, the line and the date in the address
 * ('#/help?draft=plan-change&line=ln_…&date=2027-01-01'), and the form there starts filled in: the topic, and the
 * request worded in the person's language for them to complete and send. Pure, so it is tested without a page.
 */
import type { TFunction } from 'i18next'
import type { SupportTopic } from '../../../../shared/api/support'
import { formatDay } from '../../format-intl'

export const DRAFTS = ['plan-change', 'withdraw-change'] as const
export type DraftKind = (typeof DRAFTS)[number]

export interface DraftAsked {
  readonly kind: DraftKind
  readonly lineId: string
  /** The day the request is about (YYYY-MM-DD): the next possible 1st, or the change's own date. */
  readonly date: string
}

/** Plan changes are a line's plan: the topic support files them under. */
export const DRAFT_TOPIC: Readonly<Record<DraftKind, SupportTopic>> = {
  'plan-change': 'renewal',
  'withdraw-change': 'renewal'
}

/** Where the person writes this request: the support form on Help, begun for them. */
export function draftHref(d: DraftAsked): string {
  const query = new URLSearchParams({ draft: d.kind, line: d.lineId, date: d.date })
  return `#/help?${query.toString()}`
}

/** The request an address asks the form to begin, or undefined (an address without one, or not one of ours). */
export function draftFromHash(hash: string): DraftAsked | undefined {
  const query = /\?(.*)$/.exec(hash)?.[1]
  if (!query) return undefined
  const p = new URLSearchParams(query)
  const kind = p.get('draft') ?? ''
  const lineId = p.get('line') ?? ''
  const date = p.get('date') ?? ''
  if (!(DRAFTS as readonly string[]).includes(kind) || !/^[\w-]{1,64}$/.test(lineId)) return undefined
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined
  return { kind: kind as DraftKind, lineId, date }
}

/** Invisible format characters (bidi marks, isolates) but the joiners Persian writes with: support refuses them. */
const FORMAT_CHARACTERS = /(?![\u200c\u200d])\p{Cf}/gu

/**
 * The request's words with the line's name and the date in them, as plain text the person can edit and send:
 * without the bidi isolation every sentence on screen gets (and any mark Intl puts in a date), which the
 * support request refuses as invisible format characters.
 */
export function draftText(t: TFunction, d: DraftAsked, line: string, lang: string): string {
  const text = t(`help.draft.${d.kind}`, {
    line,
    date: formatDay(d.date, lang),
    interpolation: { escapeValue: false }
  })
  return text.replace(FORMAT_CHARACTERS, '')
}
