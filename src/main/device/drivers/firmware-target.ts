/**
 * The device side of Dialtone's firmware protocol (firmware-protocol.ts): what a dongle that speaks it does with
 * each command. The virtual dongle and the USB rig's gadget both run this one implementation, so the driver is
 * tested against the same behaviour in unit tests and on the real kernel. The running version survives an unplug
 * (it is in flash); the staging area is RAM and does not, nor does a signature not yet read. A dongle made with an
 * attestation identity (its serial, model and private key) answers ATTEST by signing; one without answers NO_KEY.
 */
import { type KeyObject, createHash, sign } from 'node:crypto'
import { SIGNATURE_BYTES, attestationMessage } from '../../../shared/api/attestation'
import {
  FW_SIGNATURE_PART_BYTES,
  FW_STATUS,
  type FirmwareCommand,
  type FwStatus,
  encodeSignaturePart,
  encodeStatus
} from './firmware-protocol'

/** What the factory put into a dongle: who it says it is, and the private key that proves it. */
export interface AttestationIdentity {
  readonly serial: string
  /** vid:pid, lower-case hex. */
  readonly model: string
  readonly privateKey: KeyObject
}

export class FirmwareTarget {
  private running: { version: string; image: Uint8Array }
  private staging: { size: number; sha256: Uint8Array; bytes: Buffer[]; received: number } | null = null
  private code: number = FW_STATUS.idle
  private signature: Uint8Array | null = null

  constructor(
    version = '1.0.0',
    private readonly identity: AttestationIdentity | null = null
  ) {
    this.running = { version, image: new Uint8Array(0) }
  }

  get version(): string {
    return this.running.version
  }

  /** The answer to the last command. */
  status(): FwStatus {
    const received = this.code === FW_STATUS.signed ? SIGNATURE_BYTES : (this.staging?.received ?? 0)
    return { status: this.code, received, version: this.running.version }
  }

  /** Power gone: a write in progress is lost, and a signature not yet read; the running firmware stays. */
  powerLost(): void {
    this.staging = null
    this.signature = null
    this.code = FW_STATUS.idle
  }

  /** The answer's data (64 bytes, no report id or opcode) to a command, after handling it. */
  reply(c: FirmwareCommand): Uint8Array {
    if (c.op !== 'signature') return encodeStatus(this.handle(c))
    const sig = this.signature
    if (!sig || c.offset >= sig.length)
      return encodeSignaturePart(FW_STATUS.noSession, c.offset, new Uint8Array(0))
    return encodeSignaturePart(
      FW_STATUS.signed,
      c.offset,
      sig.subarray(c.offset, c.offset + FW_SIGNATURE_PART_BYTES)
    )
  }

  handle(c: FirmwareCommand): FwStatus {
    switch (c.op) {
      case 'query':
        break
      case 'abort':
        this.staging = null
        this.code = FW_STATUS.idle
        break
      case 'attest':
        if (!this.identity) {
          this.code = FW_STATUS.noKey
          break
        }
        this.signature = sign(
          null,
          attestationMessage(this.identity.model, this.identity.serial, c.challenge),
          this.identity.privateKey
        )
        this.code = FW_STATUS.signed
        break
      case 'signature':
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
