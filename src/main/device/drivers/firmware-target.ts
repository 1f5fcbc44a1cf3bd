/**
 * The device side of Dialtone's firmware protocol (firmware-protocol.ts): what a dongle that speaks it does with
 * each command. The virtual dongle and the USB rig's gadget both run this one implementation, so the driver is
 * tested against the same behaviour in unit tests and on the real kernel. The running version survives an unplug
 * (it is in flash); the staging area is RAM and does not.
 */
import { createHash } from 'node:crypto'
import { FW_STATUS, type FirmwareCommand, type FwStatus } from './firmware-protocol'

export class FirmwareTarget {
  private running: { version: string; image: Uint8Array }
  private staging: { size: number; sha256: Uint8Array; bytes: Buffer[]; received: number } | null = null
  private code: number = FW_STATUS.idle

  constructor(version = '1.0.0') {
    this.running = { version, image: new Uint8Array(0) }
  }

  get version(): string {
    return this.running.version
  }

  /** The answer to the last command. */
  status(): FwStatus {
    return { status: this.code, received: this.staging?.received ?? 0, version: this.running.version }
  }

  /** Power gone: a write in progress is lost, the running firmware stays. */
  powerLost(): void {
    this.staging = null
    this.code = FW_STATUS.idle
  }

  handle(c: FirmwareCommand): FwStatus {
    switch (c.op) {
      case 'query':
        break
      case 'abort':
        this.powerLost()
        break
      case 'begin':
        this.staging = { size: c.size, sha256: Uint8Array.from(c.sha256), bytes: [], received: 0 }
        this.code = FW_STATUS.receiving
        break
      case 'chunk':
        if (!this.staging) this.code = FW_STATUS.noSession
        else if (c.offset !== this.staging.received) this.code = FW_STATUS.outOfOrder
        else {
          this.staging.bytes.push(Buffer.from(c.data))
          this.staging.received += c.data.length
        }
        break
      case 'commit': {
        const st = this.staging
        this.staging = null
        if (!st) {
          this.code = FW_STATUS.noSession
          break
        }
        const image = Buffer.concat(st.bytes)
        const ok =
          image.length === st.size &&
          createHash('sha256').update(image).digest().equals(Buffer.from(st.sha256))
        this.code = ok ? FW_STATUS.idle : FW_STATUS.verifyFailed
        if (ok) this.running = { version: c.version, image }
      }
    }
    return this.status()
  }
}
