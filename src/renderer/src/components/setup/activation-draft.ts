/**
 * The activation step's progress, kept in the window's sessionStorage per dongle so a reload (or the renderer
 * restarting under a running app) resumes where the person was: the answers they typed, and, once the trial's code
 * was sent, the trial request's id, which is all the code step needs to activate or send a new code (the service's
 * /v1/trials/{id}/activate and /resend take the id and the code; the id is what the service already gave this
 * renderer, and without the 6-digit code from the person's email it activates nothing).
 *
 * Never kept: the password and the code. They are secrets, sessionStorage is readable by any script of the page
 * and stays on disk while the window lives, and neither is needed to resume (the code step asks for the code; the
 * password was sent with the trial request, so only going back to change the details asks for it again).
 *
 * Forgotten once the dongle is activated (trial or purchased) and when the person abandons the code step
 * ("Change the details": the trial id goes, the answers stay for the form). Closing the window ends the storage.
 */
// The pattern, not the zod schema: this module is on the setup wizard's first page, which carries no zod.
import { ID_PATTERN } from '../../../../shared/api/id-pattern'
import { type ContactDraft, EMPTY_CONTACT } from './contact-draft'

const keyOf = (serial: string): string => `dialtone.activation-draft.${serial}`

/** The part of the window's Storage used here (typed here, so the unit tests compile without the DOM's types). */
export interface DraftStore {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

/** The window's sessionStorage, or none where there is none (reading it can throw when storage is blocked). */
function store(): DraftStore | undefined {
  try {
    return (globalThis as { sessionStorage?: DraftStore }).sessionStorage
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

/** What was kept for this dongle, checked field by field (the storage is the page's, not ours alone). */
export function readActivationDraft(serial: string): ActivationDraft | null {
  let raw: unknown
  try {
    raw = JSON.parse(store()?.getItem(keyOf(serial)) ?? 'null')
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

/** Keeps the answers and/or the trial id, over what was kept; the password is never written. */
export function keepActivationDraft(serial: string, change: Partial<ActivationDraft>): void {
  const before = readActivationDraft(serial) ?? { contact: EMPTY_CONTACT, trialId: null }
  const { password: _never, ...contact } = change.contact ?? before.contact
  const kept: { contact: Kept; trialId: string | null } = {
    contact,
    trialId: change.trialId === undefined ? before.trialId : change.trialId
  }
  try {
    store()?.setItem(keyOf(serial), JSON.stringify(kept))
  } catch {
    // Storage full or switched off: the wizard still works, only a reload starts it over.
  }
}

export function forgetActivationDraft(serial: string): void {
  try {
    store()?.removeItem(keyOf(serial))
  } catch {
    // Nothing kept that could be removed.
  }
}
