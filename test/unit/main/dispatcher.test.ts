import { describe, expect, it } from 'vitest'
import { createDispatcher, type Handlers } from '../../../src/main/ipc/dispatcher'
import { silentLogger } from '../../../src/main/log/logger'
import { COMMAND_NAMES } from '../../../src/shared/ipc/contract'
import { DialtoneError } from '../../../src/shared/ipc/errors'
import { testApp } from '../../support/test-app'

const ctx = { host: 'test', origin: 'test' } as const

describe('dispatch: every call is checked against the contract', () => {
  it('refuses a bad argument with a clear error naming the field, and changes nothing', async () => {
    const { app } = testApp()
    const before = await app.dispatch('app.settings.get', undefined, ctx)
    const result = await app.dispatch('app.settings.set', { theme: 'purple' }, ctx)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe('INVALID_ARGUMENT')
    expect(result.error.message).toMatch(/^bad argument to app\.settings\.set: theme: /)
    expect(result.error.issues?.[0]?.path).toBe('theme')
    expect(await app.dispatch('app.settings.get', undefined, ctx)).toEqual(before)
  })

  it('refuses unknown keys instead of dropping them silently', async () => {
    const { app } = testApp()
    const result = await app.dispatch('app.settings.set', { theme: 'dark', admin: true }, ctx)
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } })
    expect(JSON.stringify(result)).toContain('admin')
  })

  it('refuses an argument to a command that takes none', async () => {
    const { app } = testApp()
    const result = await app.dispatch('device.list', { all: true }, ctx)
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_ARGUMENT',
        message: 'bad argument to device.list: this command takes no argument'
      }
    })
  })

  it('refuses a name that is not in the contract', async () => {
    const { app } = testApp()
    for (const name of ['device.format', '__proto__', 'constructor', 7, null]) {
      const result = await app.dispatch(name, undefined, ctx)
      expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } })
    }
  })

  it("passes a handler's deliberate error through, and hides an unexpected one behind INTERNAL", async () => {
    const base = Object.fromEntries(COMMAND_NAMES.map((k) => [k, () => null])) as unknown as Handlers
    const dispatch = createDispatcher(
      {
        ...base,
        'device.list': () => {
          throw new DialtoneError('USB_ERROR', 'the USB stack did not answer: LIBUSB_ERROR_IO')
        },
        'app.info': () => {
          throw new Error('secret internal detail at /home/x')
        }
      },
      silentLogger()
    )
    expect(await dispatch('device.list', undefined, ctx)).toEqual({
      ok: false,
      error: { code: 'USB_ERROR', message: 'the USB stack did not answer: LIBUSB_ERROR_IO' }
    })
    const internal = await dispatch('app.info', undefined, ctx)
    expect(internal).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(JSON.stringify(internal)).not.toContain('secret internal detail')
  })

  it('does not let a handler answer outside the contract', async () => {
    const base = Object.fromEntries(COMMAND_NAMES.map((k) => [k, () => null])) as unknown as Handlers
    const dispatch = createDispatcher(
      { ...base, 'phone.status': () => ({ state: 'ringing-maybe' }) as never },
      silentLogger()
    )
    expect(await dispatch('phone.status', undefined, ctx)).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL', message: 'phone.status produced an answer the contract does not allow' }
    })
  })
})
