/**
 * Builds a USB gadget from a profile through configfs (libcomposite) and plugs it into a dummy_hcd UDC, so the
 * guest kernel's own host stack enumerates it as a real device. Binding the UDC is plugging the dongle in,
 * unbinding it is pulling it out. Runs only inside the QEMU guest, as root.
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  rmdirSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
  writeSync
} from 'node:fs'
import { constants } from 'node:fs'
import { join } from 'node:path'
import {
  FIRMWARE_INTERFACE_DESCRIPTOR,
  decodeFirmwareCommand,
  encodeAnswer
} from '../../../src/main/device/drivers/firmware-protocol'
import { devAttestationIdentity } from '../../../src/main/device/dev-attestation'
import { FirmwareTarget } from '../../../src/main/device/drivers/firmware-target'
import type { GadgetProfile, HandsetState } from './profiles'
import { sleep } from './wait'

const CONFIGFS = '/sys/kernel/config/usb_gadget'
const hex = (n: number): string => `0x${n.toString(16).padStart(4, '0')}`

export class Gadget {
  readonly dir: string
  /**
   * The dongle's firmware (profile.firmware): its flash survives an unplug, a write in progress (or a signature
   * not yet read) does not.
   */
  readonly firmware: FirmwareTarget | null
  private hidFd: number | null = null
  private firmwareFd: number | null = null
  private responder: NodeJS.Timeout | null = null
  /** Called with each firmware command's opcode before the dongle answers it (a test pulls the plug there). */
  onFirmwareCommand: ((op: number) => void) | null = null

  constructor(
    readonly profile: GadgetProfile,
    readonly udc = 'dummy_udc.0'
  ) {
    this.dir = join(CONFIGFS, profile.name)
    // A dongle with the firmware interface also attests: with the profile's own key (a counterfeit), or else with
    // its serial's development key when it has one.
    const model = `${profile.vendorId.toString(16).padStart(4, '0')}:${profile.productId.toString(16).padStart(4, '0')}`
    const own = profile.firmware?.attestationKey
    this.firmware = profile.firmware
      ? new FirmwareTarget(
          profile.firmware.version,
          own
            ? { serial: profile.serial, model, privateKey: own }
            : devAttestationIdentity(profile.serial, model)
        )
      : null
  }

  create(): this {
    const p = this.profile
    // Outside the guest (a benchmark of the rig run on the host, as one might from its file name) say where it runs.
    if (!existsSync(CONFIGFS))
      throw new Error(
        `${CONFIGFS} is missing: this runs inside the USB rig's QEMU guest, e.g. bash test/usb-vm/vm.sh -- 'node --import tsx test/bench/hotplug.bench.ts' (docs/benchmarks.md)`
      )
    if (existsSync(this.dir)) throw new Error(`gadget ${p.name} exists already`)
    const put = (rel: string, value: string | Buffer): void => writeFileSync(join(this.dir, rel), value)
    // configfs makes the inner folders itself; only the leaves are created (recursive mkdir gets EPERM there).
    const mk = (rel: string): void => mkdirSync(join(this.dir, rel))
    mk('')
    put('idVendor', hex(p.vendorId))
    put('idProduct', hex(p.productId))
    put('bcdDevice', hex(p.bcdDevice))
    put('bcdUSB', '0x0200')
    put('max_speed', p.maxSpeed)
    mk('strings/0x409')
    put('strings/0x409/manufacturer', p.manufacturer)
    put('strings/0x409/product', p.product)
    put('strings/0x409/serialnumber', p.serial)
    mk('configs/c.1')
    mk('configs/c.1/strings/0x409')
    put('configs/c.1/strings/0x409/configuration', 'phone')
    put('configs/c.1/MaxPower', String(p.maxPowerMa))
    put('configs/c.1/bmAttributes', hex(0x80 | (p.selfPowered ? 0x40 : 0)))
    if (p.massStorage) {
      const image = `/tmp/${p.name}-zerocd.img`
      writeFileSync(image, Buffer.alloc(1024 * 1024))
      mk('functions/mass_storage.0')
      put('functions/mass_storage.0/lun.0/cdrom', '1')
      put('functions/mass_storage.0/lun.0/ro', '1')
      put('functions/mass_storage.0/lun.0/file', image)
      symlinkSync(join(this.dir, 'functions/mass_storage.0'), join(this.dir, 'configs/c.1/mass_storage.0'))
    }
    mk('functions/hid.0')
    put('functions/hid.0/protocol', '0')
    put('functions/hid.0/subclass', '0')
    put('functions/hid.0/report_length', String(p.hid.reportLength))
    put('functions/hid.0/report_desc', p.hid.reportDescriptor)
    put('functions/hid.0/no_out_endpoint', p.hid.noOutEndpoint ? '1' : '0')
    symlinkSync(join(this.dir, 'functions/hid.0'), join(this.dir, 'configs/c.1/hid.0'))
    if (p.firmware) {
      // The firmware interface (firmware-protocol.ts): commands on an interrupt OUT endpoint, answers on IN.
      mk('functions/hid.1')
      put('functions/hid.1/protocol', '0')
      put('functions/hid.1/subclass', '0')
      put('functions/hid.1/report_length', '64')
      put('functions/hid.1/report_desc', Buffer.from(FIRMWARE_INTERFACE_DESCRIPTOR))
      put('functions/hid.1/no_out_endpoint', '0')
      symlinkSync(join(this.dir, 'functions/hid.1'), join(this.dir, 'configs/c.1/hid.1'))
    }
    return this
  }

  /** Plug in. */
  bind(): this {
    writeFileSync(join(this.dir, 'UDC'), this.udc)
    if (this.firmware)
      this.responder = setInterval(
        () => void this.answerFirmware().catch((err: unknown) => console.error('answerFirmware failed', err)),
        5
      )
    return this
  }

  /** Pull out: the power goes, and with it any firmware write in progress. */
  unbind(): this {
    if (this.responder) clearInterval(this.responder)
    this.responder = null
    this.closeHid()
    this.firmware?.powerLost()
    writeFileSync(join(this.dir, 'UDC'), '\n')
    return this
  }

  /** The dongle's side of the firmware interface: each command read from the host gets its answer. */
  private answering = false
  private async answerFirmware(): Promise<void> {
    if (this.answering || !this.firmware) return
    this.answering = true
    try {
      this.firmwareFd ??= openSync(this.hidgPath('hid.1'), constants.O_RDWR | constants.O_NONBLOCK)
      const buf = Buffer.alloc(64)
      for (;;) {
        let n: number
        try {
          n = readSync(this.firmwareFd, buf, 0, buf.length, null)
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EAGAIN') return
          throw err
        }
        const command = decodeFirmwareCommand(buf.subarray(0, n))
        if (!command) continue
        this.onFirmwareCommand?.(buf[0] ?? 0)
        if (this.firmwareFd === null) return // unplugged by the hook: no answer
        const answer = Buffer.from(encodeAnswer(buf[0] ?? 0, this.firmware.reply(command)))
        await this.writeRetrying(this.firmwareFd, answer)
      }
    } catch {
      // Unplugged under the responder (the node is gone): the next bind starts over.
      this.closeFirmware()
    } finally {
      this.answering = false
    }
  }

  bound(): boolean {
    return readFileSync(join(this.dir, 'UDC'), 'utf8').trim() !== ''
  }

  destroy(): void {
    if (!existsSync(this.dir)) return
    if (this.bound()) this.unbind()
    this.closeHid()
    for (const link of ['configs/c.1/hid.0', 'configs/c.1/hid.1', 'configs/c.1/mass_storage.0']) {
      if (existsSync(join(this.dir, link))) unlinkSync(join(this.dir, link))
    }
    for (const d of [
      'configs/c.1/strings/0x409',
      'configs/c.1',
      'functions/hid.0',
      'functions/hid.1',
      'functions/mass_storage.0',
      'strings/0x409',
      ''
    ]) {
      if (existsSync(join(this.dir, d))) rmdirSync(join(this.dir, d))
    }
  }

  /** The device side of a HID function: /dev/hidgN, N being the function's minor number. */
  hidgPath(fn = 'hid.0'): string {
    const [, minor] = readFileSync(join(this.dir, 'functions', fn, 'dev'), 'utf8')
      .trim()
      .split(':')
    return `/dev/hidg${minor}`
  }

  /** Sends one input report to the host, as the handset would. */
  sendInput(report: Buffer): Promise<void> {
    return this.writeRetrying(this.hid(), report)
  }

  private async writeRetrying(fd: number, report: Buffer): Promise<void> {
    for (let tries = 0; ; tries++) {
      try {
        writeSync(fd, report)
        return
      } catch (err) {
        // The previous report is still waiting for the host's poll.
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN' || tries > 200) throw err
        await sleep(10)
      }
    }
  }

  /** The handset in a given state: off hook, a key held, flash. */
  handset(state: HandsetState): Promise<void> {
    return this.sendInput(this.profile.encodeInput(state))
  }

  /** Reports the host sent (output reports, and feature reports on a gadget without an OUT endpoint). */
  async readHostReports(count: number, timeoutMs = 5000): Promise<Buffer[]> {
    const fd = this.hid()
    const got: Buffer[] = []
    const buf = Buffer.alloc(1024)
    const deadline = Date.now() + timeoutMs
    while (got.length < count) {
      try {
        const n = readSync(fd, buf, 0, buf.length, null)
        got.push(Buffer.from(buf.subarray(0, n)))
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err
        if (Date.now() > deadline) break
        await sleep(20)
      }
    }
    return got
  }

  private hid(): number {
    // Non-blocking: a blocking read would park a libuv thread and hang process exit.
    this.hidFd ??= openSync(this.hidgPath(), constants.O_RDWR | constants.O_NONBLOCK)
    return this.hidFd
  }

  private closeHid(): void {
    if (this.hidFd !== null) closeSync(this.hidFd)
    this.hidFd = null
    this.closeFirmware()
  }

  private closeFirmware(): void {
    if (this.firmwareFd !== null) closeSync(this.firmwareFd)
    this.firmwareFd = null
  }
}
