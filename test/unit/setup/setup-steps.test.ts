/** The permissions step as the app runs it: the virtual dongle needs no rule; a real one waits for it on Linux. */
import { describe, expect, it } from 'vitest'
import type { AccountService } from '../../../src/main/account/account-service'
import { setupSteps } from '../../../src/main/setup/setup-steps'
import type { Device } from '../../../src/shared/ipc/device'
import type { Permissions } from '../../../src/shared/ipc/setup'

function steps(device: Partial<Device>, permissions: Permissions) {
  return setupSteps({
    device: () => ({ id: 'd1', virtual: false, problem: null, ...device }) as Device,
    permissions: () => permissions,
    linePower: async () => undefined,
    ring: async () => undefined,
    media: () => ({ engineId: null, report: null }) as never,
    account: {} as AccountService,
    phone: () => ({ state: 'unconfigured', number: null, problem: null, retryAt: null, reason: null }),
    firmware: () => null,
    updates: { updateUrl: null, trustedKeys: () => [], appVersion: '0', downloadDir: '/tmp' }
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
