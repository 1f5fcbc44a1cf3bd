/**
 * The permissions and power steps as the app runs them: the virtual dongle needs no rule; a real one waits for it
 * on Linux only while it cannot be opened (the same answer as the diagnostics); the power step stops on the
 * diagnostics' power verdicts for this dongle and goes on otherwise; the activate step fails with a code of its own
 * when the account service cannot be reached.
 */
import { describe, expect, it } from 'vitest'
import type { AccountService } from '../../../src/main/account/account-service'
import { setupSteps } from '../../../src/main/setup/setup-steps'
import {
  SETUP_STEPS,
  SetupEngine,
  type SetupStep,
  type StepHandler
} from '../../../src/main/setup/setup-engine'
import { memoryStore } from '../../../src/main/store/key-value-store'
import { DialtoneError } from '../../../src/shared/ipc/errors'
import type { Device } from '../../../src/shared/ipc/device'
import type { Permissions } from '../../../src/shared/ipc/setup'
import { accessNeed, permissionFact } from '../../../src/shared/diagnostics/access'
import { verdict, type Verdict } from '../../../src/shared/diagnostics/verdicts'

/** The steps over a fixed device and permissions; `overrides` replaces any other dependency. */
function steps(
  device: Partial<Device>,
  permissions: Permissions,
  diagnose?: () => Promise<readonly Verdict[]>,
  overrides: Partial<Parameters<typeof setupSteps>[0]> = {}
) {
  return setupSteps({
    device: () => ({ id: 'd1', virtual: false, problem: null, ...device }) as Device,
    permissions: () => permissions,
    linePower: async () => undefined,
    ring: async () => undefined,
    media: () => ({ engineId: null, report: null, pending: 0 }) as never,
    account: {} as AccountService,
    phone: () => ({ state: 'unconfigured', number: null, problem: null, retryAt: null, reason: null }),
    firmware: () => null,
    updates: { updateUrl: null, trustedKeys: () => [], appVersion: '0', downloadDir: '/tmp' },
    diagnose,
    ...overrides
  })
}

const run = (s: ReturnType<typeof steps>) => s.permissions({ deviceKey: 'd1', progress: () => undefined })
const missing: Permissions = {
  platform: 'linux',
  status: 'missing',
  rulePath: '/etc/udev/rules.d/70-dialtone.rules'
}

describe('the permissions step', () => {
  it('skips the virtual dongle, which has no device node to open', async () => {
    expect(await run(steps({ virtual: true }, missing))).toMatchObject({ kind: 'skipped' })
  })

  it('waits for the rule when a real dongle needs it, naming where it goes', async () => {
    const r = await run(steps({}, missing))
    expect(r.kind).toBe('waiting')
    expect(r.message).toContain('/etc/udev/rules.d/70-dialtone.rules')
  })

  it('is done when the rule is in place, and skipped where the OS needs none', async () => {
    expect(await run(steps({}, { ...missing, status: 'installed' }))).toMatchObject({ kind: 'done' })
    expect(await run(steps({}, { platform: 'win32', status: 'not-needed', rulePath: null }))).toMatchObject({
      kind: 'skipped'
    })
  })
})

describe('the permissions step and the diagnostics agree', () => {
  it('needs no rule when this user can already open the dongle, rule file or not', async () => {
    expect(await run(steps({ state: 'ready' }, missing))).toMatchObject({ kind: 'done' })
    expect(permissionFact(accessNeed('linux', true, false), true)).toBe('ok')
  })

  it('asks to plug in again when the rule is installed but the dongle still cannot be opened', async () => {
    const refused = {
      state: 'error',
      problem: { code: 'PERMISSION_NEEDED', message: 'no', fix: null }
    } as Partial<Device>
    const r = await run(steps(refused, { ...missing, status: 'installed' }))
    expect(r).toMatchObject({ kind: 'waiting' })
    expect(r.message).toContain('plug it in again')
    expect(permissionFact(accessNeed('linux', false, true), false)).toBe('denied')
    expect(await run(steps(refused, missing))).toMatchObject({ kind: 'waiting' })
    expect(permissionFact(accessNeed('linux', false, false), false)).toBe('denied')
  })

  it('answers the same on every platform and every open result', () => {
    for (const platform of ['linux', 'win32', 'darwin'])
      for (const canOpen of [true, false, null])
        for (const rule of [true, false]) {
          const need = accessNeed(platform, canOpen, rule)
          const denied = permissionFact(need, canOpen) === 'denied'
          expect(denied, `${platform} ${String(canOpen)} ${rule}`).toBe(
            need === 'needs-rule' || need === 'needs-replug'
          )
          if (platform !== 'linux') expect(need).toBe('not-needed')
        }
  })
})

describe('the power step', () => {
  const power = (s: ReturnType<typeof steps>) => s.power({ deviceKey: 'd1', progress: () => undefined })
  const dongle = { power: { declaredMa: 100, needMa: 100, selfPowered: false } } as Partial<Device>
  const linux: Permissions = { platform: 'linux', status: 'installed', rulePath: '/x' }

  it('stops on a power verdict for this dongle, with its code and the advice', async () => {
    for (const code of [
      'POWER_BUDGET',
      'OVERCURRENT',
      'FLAPPING',
      'REJECTED_CONFIG',
      'ENUMERATION'
    ] as const) {
      const r = await power(steps(dongle, linux, async () => [verdict(code, 'd1', ['evidence'])]))
      expect(r, code).toMatchObject({ kind: 'waiting', verdict: code })
      expect(r.message).toContain('a port on the computer itself')
    }
  })

  it('goes on when the verdicts are about another dongle or are not power problems', async () => {
    const other = async () => [verdict('POWER_BUDGET', 'd2', []), verdict('AUTOSUSPEND', 'd1', [])]
    expect(await power(steps(dongle, linux, other))).toMatchObject({ kind: 'done' })
  })

  it('falls back to the declared need when the ports cannot be inspected', async () => {
    const r = await power(
      steps(dongle, linux, async () => {
        throw new Error('no usb')
      })
    )
    expect(r).toMatchObject({ kind: 'done' })
    expect(r.message).toContain('could not be inspected')
  })

  it('reads the declared power only once the device layer has read the configuration descriptor', async () => {
    // A hotplug is announced before that read: the step waits for it (detailed) instead of judging "unknown".
    let declaredMa: number | null = null
    let read = (): void => undefined
    const detailed = new Promise<void>((resolve) => (read = resolve))
    const s = steps({}, linux, async () => [], {
      device: () =>
        ({
          id: 'd1',
          virtual: false,
          problem: null,
          power: { declaredMa, needMa: 500, selfPowered: false }
        }) as Device,
      detailed: () => detailed
    })
    const result = power(s)
    await new Promise((r) => setTimeout(r, 10))
    declaredMa = 100
    read()
    expect((await result).message).toBe(
      'declares 100 mA but needs 500 mA: if the phone stays silent, try a port on the computer itself'
    )
  })
})

describe('the activate step when the account service is out of reach', () => {
  const account = (fail: DialtoneError) =>
    ({
      state: () => ({ signedIn: true }),
      call: async () => {
        throw fail
      }
    }) as unknown as AccountService
  const engine = (fail: DialtoneError) => {
    // The app's activate step; every step before it simply done.
    const { activate } = steps({}, missing, undefined, { account: account(fail) })
    const handlers = Object.fromEntries(
      SETUP_STEPS.map((step) => [
        step,
        step === 'activate' ? activate : async () => ({ kind: 'done' as const, message: 'ok' })
      ])
    ) as Record<SetupStep, StepHandler>
    return new SetupEngine(memoryStore(), handlers, () => undefined)
  }

  it('fails with its own code (worded "check the service address in Settings"), not "internal"', async () => {
    for (const reason of ['unreachable', 'timeout']) {
      const fail = new DialtoneError(
        'UNAVAILABLE',
        'The account service at http://x cannot be reached.',
        [],
        reason
      )
      const s = await engine(fail).run('d1')
      expect(s).toMatchObject({
        step: 'activate',
        status: 'failed',
        error: { code: 'service-unreachable', message: fail.message }
      })
    }
  })

  it('leaves any other refusal as it was', async () => {
    const s = await engine(new DialtoneError('CONFLICT', 'something else', [], 'line-lapsed')).run('d1')
    expect(s.error).toEqual({ code: 'internal', message: 'something else' })
  })
})
