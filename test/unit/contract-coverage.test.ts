/**
 * No dead ends (issue 19): every command of the contract is called by some screen — `client.invoke('x')` or
 * `useQuery('x')` somewhere under src/renderer — except the few in NOT_FOR_SCREENS, each with its reason. A
 * command listed there that a screen starts calling must leave the list, so the list never lies.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { COMMAND_NAMES } from '../../src/shared/ipc/contract'
import { NOT_FOR_SCREENS } from '../../src/shared/ipc/not-for-screens'

const RENDERER = join(import.meta.dirname, '../../src/renderer/src')

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
}

/** The command names the renderer's code calls: the first argument of invoke(...) or useQuery(...). */
function calledByScreens(): Set<string> {
  const called = new Set<string>()
  for (const text of sources(RENDERER))
    for (const m of text.matchAll(/\b(?:invoke|useQuery)\(\s*['"]([a-z]+\.[\w.]+)['"]/g))
      called.add(m[1] ?? '')
  return called
}

describe('every command has a screen', () => {
  const called = calledByScreens()

  it('finds the calls it looks for (the scan itself works)', () => {
    expect(called.has('account.signIn')).toBe(true)
    expect(called.has('account.lines')).toBe(true)
    expect(called.size).toBeGreaterThan(40)
  })

  it('has a caller in the renderer for each command not listed as not for screens', () => {
    const uncalled = COMMAND_NAMES.filter((c) => !called.has(c) && !(c in NOT_FOR_SCREENS))
    expect(uncalled, 'commands no screen calls (give each a screen, or a reason in NOT_FOR_SCREENS)').toEqual(
      []
    )
  })

  it('lists only commands that exist, no screen calls, and says why', () => {
    for (const [name, reason] of Object.entries(NOT_FOR_SCREENS)) {
      expect(COMMAND_NAMES, name).toContain(name)
      expect(called.has(name), `${name} is called by a screen: take it off NOT_FOR_SCREENS`).toBe(false)
      expect(reason?.length ?? 0, `${name} needs its reason`).toBeGreaterThan(20)
    }
  })

  it('calls nothing that is not a command', () => {
    expect([...called].filter((c) => !(COMMAND_NAMES as readonly string[]).includes(c))).toEqual([])
  })
})
