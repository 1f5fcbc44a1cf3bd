/**
 * The activation step's draft in localStorage (activation-draft.ts): what a reload or a restart resumes from, what
 * it must never hold (the password; the code is never handed to it), and that it is gone once 24 hours old. The
 * storage is the page's, so what is read back is checked field by field.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  DRAFT_KEPT_MS,
  forgetActivationDraft,
  keepActivationDraft,
  readActivationDraft
} from '../../../src/renderer/src/components/setup/activation-draft'
import type { DraftStore } from '../../../src/renderer/src/components/setup/activation-draft'
import { EMPTY_CONTACT } from '../../../src/renderer/src/components/setup/contact-draft'

/** The browser's localStorage as far as the draft uses it, in memory. */
function memoryStorage(): DraftStore {
  const items = new Map<string, string>()
  return {
    get length() {
      return items.size
    },
    key: (i) => [...items.keys()][i] ?? null,
    getItem: (k) => items.get(k) ?? null,
    removeItem: (k) => void items.delete(k),
    setItem: (k, v) => void items.set(k, String(v))
  }
}

const contact = {
  ...EMPTY_CONTACT,
  name: 'Ada Lovelace',
  email: 'ada@example.test',
  password: 'correct horse battery',
  street: '1 Main St',
  areaCode: '201',
  terms: true,
  e911: true
}
const TRIAL = 'tri_AbCdEfGhIjKlMnOp'
let storage: ReturnType<typeof memoryStorage>

beforeEach(() => {
  storage = memoryStorage()
  vi.stubGlobal('localStorage', storage)
})
afterEach(() => {
  vi.unstubAllGlobals()
})

describe('activation draft', () => {
  it('keeps the answers and the trial id, never the password', () => {
    keepActivationDraft('SER1', { contact })
    keepActivationDraft('SER1', { trialId: TRIAL })
    const raw = storage.getItem('dialtone.activation-draft.SER1') ?? ''
    expect(raw).toContain('1 Main St')
    expect(raw).not.toContain('correct horse battery')
    expect(raw).not.toContain('password')
    expect(readActivationDraft('SER1')).toEqual({ contact: { ...contact, password: '' }, trialId: TRIAL })
  })

  it('keeps the trial id when the answers change, and drops it when the code step is left', () => {
    keepActivationDraft('SER1', { contact, trialId: TRIAL })
    keepActivationDraft('SER1', { contact: { ...contact, name: 'Ada King' } })
    expect(readActivationDraft('SER1')?.trialId).toBe(TRIAL)
    keepActivationDraft('SER1', { trialId: null })
    expect(readActivationDraft('SER1')).toEqual({
      contact: { ...contact, name: 'Ada King', password: '' },
      trialId: null
    })
  })

  it('is per dongle, and forgotten', () => {
    keepActivationDraft('SER1', { contact, trialId: TRIAL })
    expect(readActivationDraft('SER2')).toBeNull()
    forgetActivationDraft('SER1')
    expect(readActivationDraft('SER1')).toBeNull()
    expect(storage.length).toBe(0)
  })

  it('reads only what has the right shape', () => {
    storage.setItem('dialtone.activation-draft.SER1', '{not json')
    expect(readActivationDraft('SER1')).toBeNull()
    storage.setItem(
      'dialtone.activation-draft.SER1',
      JSON.stringify({
        contact: { name: 7, email: 'a@b.test', password: 'leaked', terms: 'yes', e911: true },
        trialId: '../../v1/accounts',
        savedAt: Date.now()
      })
    )
    expect(readActivationDraft('SER1')).toEqual({
      contact: { ...EMPTY_CONTACT, email: 'a@b.test', e911: true },
      trialId: null
    })
  })

  it('a storage that refuses writes leaves the wizard working', () => {
    vi.stubGlobal('localStorage', {
      length: 0,
      key: () => null,
      getItem: () => null,
      removeItem: () => undefined,
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError')
      }
    })
    expect(() => keepActivationDraft('SER1', { contact, trialId: TRIAL })).not.toThrow()
    expect(readActivationDraft('SER1')).toBeNull()
  })

  it('is kept for 24 hours after it was last written, then discarded unread', () => {
    const t0 = Date.UTC(2026, 11, 4, 18, 0)
    keepActivationDraft('SER1', { contact, trialId: TRIAL }, t0)
    const hour = 60 * 60 * 1000
    expect(readActivationDraft('SER1', t0 + 23 * hour)?.trialId).toBe(TRIAL)
    // Written again (the answers changed) at 23 h: the 24 hours count from then.
    keepActivationDraft('SER1', { contact: { ...contact, name: 'Ada King' } }, t0 + 23 * hour)
    expect(readActivationDraft('SER1', t0 + 46 * hour)?.contact.name).toBe('Ada King')
    expect(readActivationDraft('SER1', t0 + 23 * hour + DRAFT_KEPT_MS)).toBeNull()
    expect(storage.length).toBe(0)
    // A stale draft is not merged into the next one either.
    keepActivationDraft('SER1', { contact, trialId: TRIAL }, t0)
    keepActivationDraft('SER1', { contact: { ...contact, name: 'New' } }, t0 + DRAFT_KEPT_MS)
    expect(readActivationDraft('SER1', t0 + DRAFT_KEPT_MS)).toEqual({
      contact: { ...contact, name: 'New', password: '' },
      trialId: null
    })
  })

  it('a draft with no time, or from the future (a clock set back), is stale', () => {
    const now = Date.UTC(2026, 11, 4, 18, 0)
    storage.setItem('dialtone.activation-draft.SER1', JSON.stringify({ contact, trialId: TRIAL }))
    expect(readActivationDraft('SER1', now)).toBeNull()
    keepActivationDraft('SER1', { contact, trialId: TRIAL }, now + 60_000)
    expect(readActivationDraft('SER1', now)).toBeNull()
    expect(storage.length).toBe(0)
  })

  it('reading one dongle’s draft drops the other dongles’ stale ones, and nothing else of the page', () => {
    const now = Date.UTC(2026, 11, 4, 18, 0)
    storage.setItem('dialtone.language', 'fa')
    keepActivationDraft('OLD', { contact, trialId: TRIAL }, now - DRAFT_KEPT_MS - 1)
    keepActivationDraft('NEW', { contact, trialId: TRIAL }, now - 1000)
    expect(readActivationDraft('SER1', now)).toBeNull()
    expect(storage.getItem('dialtone.activation-draft.OLD')).toBeNull()
    expect(storage.getItem('dialtone.activation-draft.NEW')).not.toBeNull()
    expect(storage.getItem('dialtone.language')).toBe('fa')
  })
})
