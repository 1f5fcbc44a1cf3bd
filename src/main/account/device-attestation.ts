/**
 * The app's half of device attestation (issue 21): before a request that binds a dongle to an account (start a
 * trial, activate a purchase, ask for a transfer), main gets a one-time challenge from the service, has the
 * plugged-in dongle with that serial and model sign it through its firmware access, and sends the signature with
 * the request. The person never sees any of it, except when it cannot happen:
 * - the dongle is not plugged in: 'dongle-not-plugged' (it must be, to prove itself);
 * - it is pulled out mid-way: the attempt is dropped (its challenge dies unused) and, once the dongle is back,
 *   tried again from a new challenge; if it does not come back, 'dongle-unplugged';
 * - it cannot attest (no firmware interface, no key): the request goes without a proof, and the service answers
 *   with its own reason (a proof of purchase for models that cannot attest; 'device-not-recognised' otherwise).
 */
import type { Attestation } from '../../shared/api/attestation'
import type { RouteOutput } from '../../shared/api/routes'
import { DialtoneError } from '../../shared/ipc/errors'
import type { Logger } from '../log/logger'
import type { DeviceManager } from '../device/device-manager'
import { FirmwareError, type FirmwareAccess } from '../device/drivers/firmware-access'

export interface DeviceClaim {
  readonly serial: string
  readonly model: string
}

export interface AttesterOptions {
  readonly devices: Pick<DeviceManager, 'list' | 'driverFor'>
  readonly challenge: (claim: DeviceClaim) => Promise<RouteOutput<'deviceChallenge'>>
  readonly log: Logger
  /** How long to wait for an unplugged dongle to come back before giving up (the person is told to plug it in). */
  readonly replugWaitMs?: number
  readonly pollMs?: number
  readonly attempts?: number
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

const hex4 = (n: number): string => n.toString(16).padStart(4, '0')

export class DeviceAttester {
  constructor(private readonly o: AttesterOptions) {}

  /** The request with the dongle's attestation, or as it was when the dongle cannot attest. */
  async attach<T extends DeviceClaim>(req: T): Promise<T & { attestation?: Attestation }> {
    const { attestation: _ignored, ...plain } = req as T & { attestation?: unknown }
    const attempts = this.o.attempts ?? 3
    let firmware = this.firmwareOf(req)
    if (firmware === undefined)
      throw new DialtoneError(
        'UNAVAILABLE',
        'plug the dongle in: it has to be connected to prove itself to the service',
        [],
        'dongle-not-plugged'
      )
    for (let attempt = 1; ; attempt++) {
      if (firmware === null) return plain as T // cannot attest: the service decides what stands in for it
      try {
        const { challenge } = await this.o.challenge({ serial: req.serial, model: req.model })
        const signature = await firmware.attest(Buffer.from(challenge, 'base64'))
        return {
          ...(plain as T),
          attestation: { challenge, signature: Buffer.from(signature).toString('base64') }
        }
      } catch (err) {
        if (!(err instanceof FirmwareError)) throw err
        if (err.code === 'cannot-attest') return plain as T
        this.o.log.info({ serial: req.serial, attempt }, 'the dongle went away while attesting')
        firmware = attempt < attempts ? await this.waitForReplug(req, firmware) : undefined
        if (firmware === undefined)
          throw new DialtoneError(
            'UNAVAILABLE',
            'the dongle was unplugged while it proved itself to the service; plug it in and try again',
            [],
            'dongle-unplugged'
          )
      }
    }
  }

  /**
   * The firmware access of the ready dongle with this serial and model: undefined when none is plugged in, null
   * when it is but has no firmware protocol (it cannot attest).
   */
  private firmwareOf(claim: DeviceClaim): FirmwareAccess | null | undefined {
    const device = this.o.devices
      .list()
      .devices.find(
        (d) =>
          d.serial?.toUpperCase() === claim.serial &&
          `${hex4(d.vendorId)}:${hex4(d.productId)}` === claim.model &&
          (d.state === 'ready' || d.state === 'in-use')
      )
    if (!device) return undefined
    return this.o.devices.driverFor(device.id)?.firmware ?? null
  }

  private async waitForReplug(
    claim: DeviceClaim,
    dead: FirmwareAccess
  ): Promise<FirmwareAccess | null | undefined> {
    const deadline = Date.now() + (this.o.replugWaitMs ?? 15_000)
    for (;;) {
      // A firmware access object belongs to one plug-in: the old one is dead, so only a new device counts. The
      // device list may still show the old one for a moment (the unplug is noticed after the failed read).
      const found = this.firmwareOf(claim)
      if (found !== undefined && found !== dead) return found
      if (Date.now() > deadline) return undefined
      await sleep(this.o.pollMs ?? 200)
    }
  }
}
