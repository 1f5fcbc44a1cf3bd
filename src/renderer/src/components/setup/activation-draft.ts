/**
 * The activation step's progress, kept per dongle so a reload or a restart of the app resumes where the person
 * was: the answers they typed, and, once the trial's code was sent, the trial request's id, which is all the code
 * step needs to activate or send a new code (the service's /v1/trials/{id}/activate and /resend take the id and
 * the code; the id is what the service already gave this renderer, and without the 6-digit code from the person's
 * email it activates nothing). Main holds nothing of a pending trial, so the renderer's draft is the whole of it.
 *
 * Where: the renderer's localStorage, which outlives the window (Electron keeps it in the app's data folder; the
 * web host's page keeps it in the browser profile, for the host's fixed address, whatever the start's token).
 * Not main's store through the IPC contract: the draft is this screen's own, holds no secret, and is read on the
 * wizard's first paint, before any answer from main; a command pair in the contract (with its schemas, the
 * preload, the web bridge and their tests) would carry the same text to a file in the same folder.
 *
 * Never kept: the password and the code. They are secrets; localStorage is readable by any script of the page and
 * stays on disk; and neither is needed to resume (the code step asks for the code; the password was sent with the
 * trial request, so only going back to change the details asks for it again).
 *
 * Forgotten once the dongle is activated (trial or purchased). "Change the details" forgets the pending trial
 * (the code step is left for good; the answers stay, as the form's draft). A draft untouched for 24 hours is
 * stale: discarded when read, never shown, and so are any other dongles' stale drafts then (a dongle never
 * plugged in again leaves no name and address behind on the disk for longer than that).
 */
// The pattern, not the zod schema: this module is on the setup wizard's first page, which carries no zod.
import { ID_PATTERN } from '../../../../shared/api/id-pattern'
import { type ContactDraft, EMPTY_CONTACT } from './contact-draft'

const PREFIX = 'dialtone.activation-draft.'
const keyOf = (serial: string): string => `${PREFIX}${serial}`

/** How long an untouched draft is kept. */
export const DRAFT_KEPT_MS = 24 * 60 * 60 * 1000

/** The part of the window's Storage used here (typed here, so the unit tests compile without the DOM's types). */
export interface DraftStore {
  readonly length: number
  key(index: number): string | null
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

/** The window's localStorage, or none where there is none (reading it can throw when storage is blocked). */
function store(): DraftStore | undefined {
  try {
    return (globalThis as { localStorage?: DraftStore }).localStorage
  } catch {
    return undefined
  }
}

export interface ActivationDraft {
  /** The answers, the password always empty. */
  contact: ContactDraft
  /** The trial request waiting for its emailed code, or null before the code was sent. */
  trialId: string | null
}

type Kept = Omit<ContactDraft, 'password'>

const TEXT_KEYS = ['name', 'email', 'street', 'city', 'region', 'postalCode', 'country', 'areaCode'] as const
const FLAG_KEYS = ['terms', 'e911'] as const

/**
 * Whether what was kept is still a draft at `now`: written in the last 24 hours. A time ahead of `now` (the
 * clock was set back) proves nothing about its age, so it is stale too.
 */
function fresh(raw: unknown, now: number): boolean {
  const savedAt = (raw as { savedAt?: unknown } | null)?.savedAt
  return typeof savedAt === 'number' && savedAt <= now && now - savedAt < DRAFT_KEPT_MS
}

function parsed(text: string | null | undefined): unknown {
  try {
    return JSON.parse(text ?? 'null')
  } catch {
    return null
  }
}

/** Removes every dongle's draft that is stale (or unreadable) at `now`. */
function dropStale(s: DraftStore, now: number): void {
  const keys: string[] = []
  for (let i = 0; i < s.length; i++) {
    const k = s.key(i)
    if (k?.startsWith(PREFIX)) keys.push(k)
  }
  for (const k of keys) if (!fresh(parsed(s.getItem(k)), now)) s.removeItem(k)
}

/** What was kept for this dongle, checked field by field (the storage is the page's, not ours alone). */
export function readActivationDraft(serial: string, now = Date.now()): ActivationDraft | null {
  let raw: unknown
  try {
    const s = store()
    if (!s) return null
    dropStale(s, now)
    raw = parsed(s.getItem(keyOf(serial)))
  } catch {
    return null
  }
  if (typeof raw !== 'object' || raw === null) return null
  const { contact, trialId } = raw as { contact?: Record<string, unknown>; trialId?: unknown }
  const kept: ContactDraft = { ...EMPTY_CONTACT }
  for (const k of TEXT_KEYS) if (typeof contact?.[k] === 'string') kept[k] = contact[k].slice(0, 500)
  for (const k of FLAG_KEYS) if (typeof contact?.[k] === 'boolean') kept[k] = contact[k]
  return { contact: kept, trialId: typeof trialId === 'string' && ID_PATTERN.test(trialId) ? trialId : null }
}

/** Keeps the answers and/or the trial id, over what was kept, as of `now`; the password is never written. */
export function keepActivationDraft(
  serial: string,
  change: Partial<ActivationDraft>,
  now = Date.now()
): void {
  const before = readActivationDraft(serial, now) ?? { contact: EMPTY_CONTACT, trialId: null }
  const { password: _never, ...contact } = change.contact ?? before.contact
  const kept: { contact: Kept; trialId: string | null; savedAt: number } = {
    contact,
    trialId: change.trialId === undefined ? before.trialId : change.trialId,
    savedAt: now
  }
  try {
    store()?.setItem(keyOf(serial), JSON.stringify(kept))
  } catch {
    // Storage full or switched off: the wizard still works, only a reload or a restart starts it over.
  }
}

export function forgetActivationDraft(serial: string): void {
  try {
    store()?.removeItem(keyOf(serial))
  } catch {
    // Nothing kept that could be removed.
  }
}
