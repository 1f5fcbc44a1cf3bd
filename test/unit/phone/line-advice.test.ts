/** Every line problem has a place to act, the countdown counts down, and the tray says the line's state in words. */
import { describe, expect, it } from 'vitest'
import { LINE_PROBLEMS, LINE_STATES } from '../../../src/shared/ipc/phone'
import { TRAY_TEXT, trayStatus } from '../../../src/shared/i18n/tray-text'
import {
  LINE_PROBLEM_ACTIONS,
  type LineAction,
  secondsUntil
} from '../../../src/shared/telephony/line-advice'
import en from '../../../src/renderer/src/i18n/locales/en.json'

describe('line advice', () => {
  it('gives every problem at least one place to act', () => {
    for (const p of LINE_PROBLEMS) expect(LINE_PROBLEM_ACTIONS[p].length, p).toBeGreaterThan(0)
  })

  it('offers the way to every place the advice names (Try now, the Account page, Settings, support)', () => {
    const names: Record<LineAction, RegExp> = {
      retry: /Try now/,
      account: /Account page/,
      settings: /\bSettings\b/,
      support: /\bsupport\b/
    }
    for (const p of LINE_PROBLEMS) {
      const todo = en.line.todo[p]
      const named = (Object.keys(names) as LineAction[]).filter((a) => names[a].test(todo))
      for (const a of named) expect(LINE_PROBLEM_ACTIONS[p], `${p}: "${todo}"`).toContain(a)
    }
    expect(LINE_PROBLEM_ACTIONS.serverError).toContain('support')
  })

  it('counts down to the next try in whole seconds, and stops at zero', () => {
    const at = '2026-12-03T10:00:34.000Z'
    const t0 = Date.parse('2026-12-03T10:00:00.000Z')
    expect(secondsUntil(at, t0)).toBe(34)
    expect(secondsUntil(at, t0 + 1000)).toBe(33)
    expect(secondsUntil(at, t0 + 33_500)).toBe(1)
    expect(secondsUntil(at, t0 + 40_000)).toBe(0)
    expect(secondsUntil(null, t0)).toBeNull()
    expect(secondsUntil('not a date', t0)).toBeNull()
  })
})

describe('the tray’s line status', () => {
  const down = {
    state: 'unregistered',
    number: '+12015550100',
    problem: 'serverUnreachable',
    retryAt: null,
    reason: 'cannot reach the SIP server'
  } as const

  it('says the state and why the line is down, in the person’s language, never main’s English detail', () => {
    expect(trayStatus(down, 'en')).toBe('Line offline: server unreachable')
    expect(trayStatus(down, 'fr')).toBe('Ligne hors ligne: serveur injoignable')
    expect(trayStatus(down, 'fa')).not.toContain('SIP')
  })

  it('says only the state while registered or switched off', () => {
    expect(trayStatus({ ...down, state: 'registered', problem: null }, 'en')).toBe('Line ready')
    expect(trayStatus({ ...down, problem: 'stopped' }, 'en')).toBe('Line offline')
  })

  it('has every state and problem in every language', () => {
    for (const [lang, text] of Object.entries(TRAY_TEXT)) {
      for (const state of LINE_STATES) expect(text.line[state], `${lang} ${state}`).toBeTruthy()
      for (const p of LINE_PROBLEMS) expect(text.problem[p], `${lang} ${p}`).toBeTruthy()
    }
  })
})
