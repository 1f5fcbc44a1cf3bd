import { describe, expect, expectTypeOf, it } from 'vitest'
import { createDispatcher, type Handlers, type RouteCaller } from '../../../src/main/ipc/dispatcher'
import { silentLogger } from '../../../src/main/log/logger'
import { COMMAND_NAMES, commandDef, type RouteCommandName } from '../../../src/shared/ipc/contract'
import { DialtoneError } from '../../../src/shared/ipc/errors'
import { testApp } from '../../support/test-app'

const ctx = { host: 'test', origin: 'test' } as const

/** A handler answering null for every command that is not a route (a test double: the cast stands for a real set). */
const nulls = (): Handlers =>
  Object.fromEntries(
    COMMAND_NAMES.filter((k) => commandDef(k).route === undefined).map((k) => [k, () => null])
  ) as unknown as Handlers
const noRoutes: RouteCaller = async (route) => {
  throw new Error(`no service here for ${route}`)
}

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
    const dispatch = createDispatcher(
      {
        ...nulls(),
        'device.list': () => {
          throw new DialtoneError('USB_ERROR', 'the USB stack did not answer: LIBUSB_ERROR_IO')
        },
        'app.info': () => {
          throw new Error('secret internal detail at /home/x')
        }
      },
      noRoutes,
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
    const dispatch = createDispatcher(
      { ...nulls(), 'phone.status': () => ({ state: 'ringing-maybe' }) as never },
      noRoutes,
      silentLogger()
    )
    expect(await dispatch('phone.status', undefined, ctx)).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL', message: 'phone.status produced an answer the contract does not allow' }
    })
  })
})

describe('every command has a handler', () => {
  it('is a type error to leave a command without one; route commands need none', () => {
    expectTypeOf<'account.lines'>().toExtend<RouteCommandName>()
    expectTypeOf<'billing.subscribeTariff'>().toExtend<RouteCommandName>()
    expectTypeOf<'account.signIn'>().not.toExtend<RouteCommandName>()
    const withoutDeviceList = (h: Omit<Handlers, 'device.list'>): Handlers =>
      // @ts-expect-error device.list has no handler, so this is not a full set
      h
    expect(withoutDeviceList).toBeTypeOf('function')
  })

  it('refuses to start without a handler for a command, naming it', () => {
    const { 'device.list': _gone, ...rest } = nulls()
    expect(() => createDispatcher(rest as Handlers, noRoutes, silentLogger())).toThrow(
      'the IPC handlers do not match the contract: no handler for device.list'
    )
  })

  it('refuses to start with a handler for a route command or for a name outside the contract', () => {
    const doubled = { ...nulls(), 'account.lines': () => null } as Handlers
    expect(() => createDispatcher(doubled, noRoutes, silentLogger())).toThrow(
      'a handler for the route command(s) account.lines'
    )
    const stray = { ...nulls(), 'device.format': () => null } as Handlers
    expect(() => createDispatcher(stray, noRoutes, silentLogger())).toThrow(
      'handlers for names not in the contract: device.format'
    )
  })

  it('answers a route command by calling its route with the validated request', async () => {
    const calls: unknown[] = []
    const dispatch = createDispatcher(
      nulls(),
      async (route, request) => {
        calls.push([route, request])
        return { history: [] }
      },
      silentLogger()
    )
    const lineId = 'lin_aaaaaaaaaaaaaaaa'
    expect(await dispatch('account.numberHistory', { lineId }, ctx)).toMatchObject({ ok: true })
    expect(await dispatch('account.numberHistory', { lineId: 'x' }, ctx)).toMatchObject({ ok: false })
    expect(calls).toEqual([['numberHistory', { lineId }]])
  })

  it('starts with the app the hosts build', () => {
    expect(() => testApp()).not.toThrow()
  })
})
