/**
 * The activation step's draft in sessionStorage (activation-draft.ts): what a reload resumes from, and what it
 * must never hold (the password; the code is never handed to it). The storage is the page's, so what is read back
 * is checked field by field.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  forgetActivationDraft,
  keepActivationDraft,
  readActivationDraft
} from '../../../src/renderer/src/components/setup/activation-draft'
import type { DraftStore } from '../../../src/renderer/src/components/setup/activation-draft'
import { EMPTY_CONTACT } from '../../../src/renderer/src/components/setup/contact-draft'

/** The browser's sessionStorage as far as the draft uses it, in memory. */
function memoryStorage(): DraftStore & { readonly length: number } {
  const items = new Map<string, string>()
  return {
    get length() {
      return items.size
    },
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
  vi.stubGlobal('sessionStorage', storage)
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
        trialId: '../../v1/accounts'
      })
    )
    expect(readActivationDraft('SER1')).toEqual({
      contact: { ...EMPTY_CONTACT, email: 'a@b.test', e911: true },
      trialId: null
    })
  })

  it('a storage that refuses writes leaves the wizard working', () => {
    vi.stubGlobal('sessionStorage', {
      getItem: () => null,
      removeItem: () => undefined,
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError')
      }
    })
    expect(() => keepActivationDraft('SER1', { contact, trialId: TRIAL })).not.toThrow()
    expect(readActivationDraft('SER1')).toBeNull()
  })
})
