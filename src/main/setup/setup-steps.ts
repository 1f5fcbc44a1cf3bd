/**
 * What each setup step does in this app, from the parts main already has: the diagnostics (the port's power
 * verdict: over-current, budget, reconnect loops, the kernel log; setup-gate.ts), the device layer (present?
 * permitted? initialised: initialise.ts), the account (activated line in service), the phone (registered), and the signed
 * firmware update (firmware-update.ts; skipped, and said so, when no update source is configured).
 */
import { accessNeed } from '../../shared/diagnostics/access'
import { powerStop } from '../../shared/diagnostics/setup-gate'
import type { Verdict } from '../../shared/diagnostics/verdicts'
import type { Device } from '../../shared/ipc/device'
import { DialtoneError } from '../../shared/ipc/errors'
import type { Permissions } from '../../shared/ipc/setup'
import type { LineStatus } from '../../shared/ipc/phone'
import type { AccountService } from '../account/account-service'
import type { FirmwareAccess } from '../device/drivers/firmware-access'
import type { MediaStatus } from '../../shared/ipc/media'
import { type FirmwareUpdatePorts, updateFirmware } from './firmware-update'
import { initialise } from './initialise'
import { type SetupStep, SetupStepError, type StepHandler } from './setup-engine'

export interface SetupStepPorts {
  readonly device: (key: string) => Device | null
  readonly permissions: () => Permissions
  readonly linePower: (id: string, on: boolean) => Promise<void>
  readonly ring: (id: string, on: boolean) => Promise<void>
  readonly media: () => MediaStatus
  readonly account: AccountService
  readonly phone: () => LineStatus
  readonly firmware: (id: string) => FirmwareAccess | null
  readonly updates: FirmwareUpdatePorts
  /** The diagnostics' verdicts for every dongle now (the same inspection as the Diagnostics page). */
  readonly diagnose?: () => Promise<readonly Verdict[]>
  /**
   * Settles when the device layer has read the dongle's configuration descriptor (its declared power): a hotplug
   * is announced before that read, and the setup may start from the announcement.
   */
  readonly detailed?: (key: string) => Promise<void>
}

/**
 * The account service out of reach (or silent) is a failure of its own, not Dialtone's: the screen words
 * `service-unreachable` as "check the connection and the service address in Settings, then Try again" instead of
 * "something went wrong in Dialtone". Any other refusal stays as it was thrown.
 */
function serviceFailure(err: unknown): unknown {
  return err instanceof DialtoneError && (err.reason === 'unreachable' || err.reason === 'timeout')
    ? new SetupStepError('service-unreachable', err.message)
    : err
}

export function setupSteps(p: SetupStepPorts): Record<SetupStep, StepHandler> {
  const present = (key: string): Device => {
    const d = p.device(key)
    if (!d) throw new SetupStepError('unplugged', 'the dongle is not plugged in')
    return d
  }
  return {
    detect: async ({ deviceKey }) => {
      const d = p.device(deviceKey)
      return d
        ? { kind: 'done', message: `found ${d.model.name}` }
        : { kind: 'waiting', message: 'plug the dongle in' }
    },
    power: async ({ deviceKey }) => {
      await p.detailed?.(deviceKey)
      const d = present(deviceKey)
      let verdicts: readonly Verdict[] = []
      let inspected = true
      try {
        verdicts = (await p.diagnose?.()) ?? []
      } catch {
        // The port could not be inspected: the declared need below is all there is to go on.
        inspected = false
      }
      const stop = powerStop(verdicts, deviceKey)
      if (stop)
        return {
          kind: 'waiting',
          verdict: stop.code,
          message: `${stop.title}: ${stop.cause} Try a port on the computer itself; setup continues when the dongle is on a good port.`
        }
      const { declaredMa, needMa, selfPowered } = d.power
      if (selfPowered) return { kind: 'done', message: 'the dongle has its own power' }
      if (declaredMa !== null && needMa !== null && declaredMa < needMa)
        return {
          kind: 'done',
          message: `declares ${declaredMa} mA but needs ${needMa} mA: if the phone stays silent, try a port on the computer itself`
        }
      return {
        kind: 'done',
        message: `${declaredMa !== null ? `draws up to ${declaredMa} mA from this port` : 'power looks fine'}${inspected ? '' : ' (the port itself could not be inspected)'}`
      }
    },
    permissions: async ({ deviceKey }) => {
      const d = p.device(deviceKey)
      const perm = p.permissions()
      // What the device layer found when it opened the node: refused, opened, or not known yet.
      const canOpen =
        d?.problem?.code === 'PERMISSION_NEEDED'
          ? false
          : d?.state === 'ready' || d?.state === 'in-use'
            ? true
            : null
      switch (accessNeed(perm.platform, canOpen, perm.status === 'installed', d?.virtual === true)) {
        case 'not-needed':
          return {
            kind: 'skipped',
            message: d?.virtual
              ? 'the virtual dongle needs no access rule'
              : 'this system needs no permission rule'
          }
        case 'granted':
          return {
            kind: 'done',
            message:
              perm.status === 'installed'
                ? `the rule is in place (${perm.rulePath})`
                : 'this user can already open the dongle; no rule is needed'
          }
        case 'needs-replug':
          return {
            kind: 'waiting',
            message: `the rule is in place (${perm.rulePath}) but the dongle was opened before it: plug it in again`
          }
        default:
          return {
            kind: 'waiting',
            message: `Dialtone needs a udev rule at ${perm.rulePath} to open the dongle; allow it to install it`
          }
      }
    },
    update: async ({ deviceKey, progress }) => {
      const d = present(deviceKey)
      const model = `${d.vendorId.toString(16).padStart(4, '0')}:${d.productId.toString(16).padStart(4, '0')}`
      return updateFirmware(p.updates, { model, firmware: p.firmware(d.id) }, progress)
    },
    initialise: async ({ deviceKey, progress }) => initialise(p, present(deviceKey), progress),
    activate: async () => {
      if (!p.account.state().signedIn)
        return { kind: 'waiting', message: 'start a trial or sign in to activate this dongle' }
      const { lines } = await p.account.call('lines', undefined).catch((err: unknown) => {
        throw serviceFailure(err)
      })
      const inService = lines.find((l) => l.status === 'in_service')
      if (inService) return { kind: 'done', message: `line ${inService.number ?? ''} is in service` }
      const missing = lines[0]?.missing ?? ['number']
      return { kind: 'waiting', message: `the line still needs: ${missing.join(', ')}` }
    },
    registered: async () => {
      const s = p.phone()
      if (s.state === 'registered')
        return { kind: 'done', message: 'lift the handset: you should hear a dial tone' }
      return { kind: 'waiting', message: s.reason ?? 'connecting the line' }
    }
  }
}
