/**
 * The factory, for tests: a dongle made here gets a fresh Ed25519 key pair, and its public half goes into the
 * test service's manufacturing registry (the same importBatch the dev seed and the ops side use). `attest` asks
 * the service for a challenge over HTTP and signs it as the dongle's firmware would, so every activation in the
 * suites proves possession for real. service.ts calls `autoAttest` for the activation routes, so the existing
 * suites, which bind random serials, keep working without each test doing it by hand.
 */
import { type KeyObject, generateKeyPairSync, sign } from 'node:crypto'
import { type Attestation, attestationMessage } from '../../src/shared/api/attestation'
import { modelId, serialNumber } from '../../src/shared/api/devices'
import type { ServiceContext } from '../../src/server/context'
import { attests, issueChallenge } from '../../src/server/devices/attestation'
import { importBatch } from '../../src/server/devices/registry'

export interface TestDongle {
  readonly serial: string
  readonly model: string
  readonly privateKey: KeyObject
  /** The raw public key, base64, as the registry holds it. */
  readonly publicKey: string
}

export function newKeyPair(): { privateKey: KeyObject; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const x = publicKey.export({ format: 'jwk' }).x ?? ''
  return { privateKey, publicKey: Buffer.from(x, 'base64url').toString('base64') }
}

/** What the dongle's firmware does with a challenge: sign the domain-separated message with its own key. */
export function signChallenge(key: KeyObject, model: string, serial: string, challenge: string): Attestation {
  const message = attestationMessage(model, serial, Buffer.from(challenge, 'base64'))
  return { challenge, signature: sign(null, message, key).toString('base64') }
}

type Api = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: unknown }>

export class DongleFactory {
  private readonly made = new Map<string, TestDongle>()
  private batches = 0

  constructor(
    private readonly ctx: () => ServiceContext,
    private readonly api: Api
  ) {}

  /** A dongle the factory made and registered (a fresh serial unless one is given). */
  async make(serial: string, model = '06e6:c200'): Promise<TestDongle> {
    const { privateKey, publicKey } = newKeyPair()
    const dongle = { serial, model, privateKey, publicKey }
    await importBatch(this.ctx(), `test-${process.pid}-${this.batches++}`, [{ serial, model, publicKey }])
    this.made.set(serial, dongle)
    return dongle
  }

  get(serial: string): TestDongle | undefined {
    return this.made.get(serial)
  }

  /** A fresh challenge from the service for this serial and model (as the app asks for it). */
  async challenge(serial: string, model: string): Promise<string> {
    const r = await this.api('POST', '/v1/devices/challenge', { serial, model })
    if (r.status !== 201) throw new Error(`no challenge: ${r.status} ${JSON.stringify(r.body)}`)
    return (r.body as { challenge: string }).challenge
  }

  /** The dongle's answer to a fresh challenge. */
  async attest(dongle: TestDongle): Promise<Attestation> {
    return signChallenge(
      dongle.privateKey,
      dongle.model,
      dongle.serial,
      await this.challenge(dongle.serial, dongle.model)
    )
  }

  /**
   * For a request that binds a dongle (a body with a valid serial and an attesting model, without an attestation
   * of its own): the body with the dongle's attestation, the dongle being made and registered first if this
   * factory has not made it yet. Anything else is returned as it is.
   */
  async autoAttest(body: unknown): Promise<unknown> {
    if (typeof body !== 'object' || body === null || 'attestation' in body) return body
    const b = body as { serial?: unknown; model?: unknown }
    const serial = serialNumber.safeParse(b.serial)
    const model = modelId.safeParse(b.model)
    if (!serial.success || !model.success || !attests(this.ctx(), model.data)) return body
    const dongle =
      this.made.get(serial.data) ??
      (await this.ctx()
        .db.selectFrom('device_registry')
        .select('serial')
        .where('serial', '=', serial.data)
        .executeTakeFirst()
        .then((known) => (known ? undefined : this.make(serial.data, model.data))))
    // A registered serial this factory did not make (another dongle's): nothing to sign with.
    if (!dongle) return body
    return { ...body, attestation: await this.attest({ ...dongle, model: model.data }) }
  }
}

/** The routes that bind a dongle to an account, which `api` attests for automatically. */
export const BINDING_ROUTES = new Set(['POST /v1/trials', 'POST /v1/devices/activate', 'POST /v1/transfers'])

/**
 * For code that calls the service's modules directly (the benches): makes and registers a dongle with this serial
 * and returns its attestation over a fresh challenge (asked for under its own limiter subject, so a bench's
 * thousands of activations are not one address's challenges).
 */
export async function attestDirect(
  ctx: ServiceContext,
  serial: string,
  model = '06e6:c200'
): Promise<Attestation> {
  const { privateKey, publicKey } = newKeyPair()
  await importBatch(ctx, 'bench', [{ serial, model, publicKey }])
  const { challenge } = await issueChallenge(ctx, serial, model, `bench:${serial}`)
  return signChallenge(privateKey, model, serial, challenge)
}
