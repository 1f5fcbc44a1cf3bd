import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  COMMAND_NAMES,
  DOMAINS,
  EVENT_NAMES,
  commandDef,
  isCommandName,
  isEventName,
  mergeDomains
} from '../../../src/shared/ipc/contract'
import { command, domain, event, noArgs } from '../../../src/shared/ipc/define'

describe('the IPC contract', () => {
  it('has one domain per area of the product', () => {
    expect(DOMAINS.map((d) => d.name)).toEqual([
      'app',
      'device',
      'diagnostics',
      'setup',
      'phone',
      'media',
      'account',
      'billing',
      'forwarding',
      'voicemail',
      'help',
      'services',
      'business'
    ])
  })

  it('names every command and event after its domain', () => {
    for (const d of DOMAINS) {
      for (const name of [...Object.keys(d.commands), ...Object.keys(d.events)]) {
        expect(name.startsWith(`${d.name}.`), name).toBe(true)
      }
    }
    expect(COMMAND_NAMES).toContain('app.info')
    expect(COMMAND_NAMES).toContain('device.list')
    expect(EVENT_NAMES).toContain('device.changed')
  })

  it('gives every command a request schema, a response schema and a summary', () => {
    for (const name of COMMAND_NAMES) {
      const def = commandDef(name)
      expect(def.request).toBeInstanceOf(z.ZodType)
      expect(def.response).toBeInstanceOf(z.ZodType)
      expect(def.summary.length, name).toBeGreaterThan(10)
    }
  })

  it('refuses a name declared outside its domain', () => {
    const stray = domain({
      name: 'phone',
      commands: { 'device.ring': command({ request: noArgs, response: z.null(), summary: 'misplaced' }) },
      events: {}
    })
    expect(() => mergeDomains([stray])).toThrow("'device.ring' is declared in domain 'phone'")
  })

  it('refuses a name two domains both claim', () => {
    const a = domain({
      name: 'x',
      commands: {},
      events: { 'x.y': event({ payload: z.null(), summary: 'one' }) }
    })
    const b = domain({
      name: 'x',
      commands: { 'x.y': command({ request: noArgs, response: z.null(), summary: 'two' }) },
      events: {}
    })
    expect(() => mergeDomains([a, b])).toThrow("'x.y' is declared twice")
  })

  it('recognises only its own names, not inherited object keys', () => {
    expect(isCommandName('device.list')).toBe(true)
    expect(isCommandName('toString')).toBe(false)
    expect(isCommandName('__proto__')).toBe(false)
    expect(isCommandName(42)).toBe(false)
    expect(isEventName('device.changed')).toBe(true)
    expect(isEventName('device.list')).toBe(false)
  })
})
