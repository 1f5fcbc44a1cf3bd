/**
 * ATTEST over Dialtone's firmware protocol (firmware-protocol.ts), on both transports: the virtual dongle signs
 * with its development key through the vendor feature report, a dongle with the firmware interface through
 * output and input reports; the signature (64 bytes, read in two parts) verifies against the public key for the
 * message naming the challenge, the serial and the model. A dongle without a key says so; an unplug between
 * the signing and the reading loses the signature, and the next ATTEST works again.
 */
import { generateKeyPairSync, randomBytes, verify } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import devKeys from '../../../resources/virtual/dev-attestation-keys.json'
import { devAttestationIdentity } from '../../../src/main/device/dev-attestation'
import { type FirmwareError, firmwareAccess } from '../../../src/main/device/drivers/firmware-access'
import { type AttestationIdentity, FirmwareTarget } from '../../../src/main/device/drivers/firmware-target'
import { VirtualTigerJet } from '../../../src/main/device/virtual-tigerjet'
import { attestationMessage } from '../../../src/shared/api/attestation'
import { firmwareInterfaceHandle } from '../../support/test-dongle'

const MODEL = '06e6:c200'

function identity(
  serial: string
): AttestationIdentity & { publicKey: ReturnType<typeof generateKeyPairSync>['publicKey'] } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  return { serial, model: MODEL, privateKey, publicKey }
}

describe('ATTEST in the firmware protocol', () => {
  it('the virtual dongle signs with the development key of VIRTUAL, through the feature report', async () => {
    const challenge = randomBytes(32)
    const signature = await firmwareAccess(new VirtualTigerJet()).attest(challenge)
    expect(signature.length).toBe(64)
    const dev = devKeys.dongles.find((d) => d.serial === 'VIRTUAL')
    const id = devAttestationIdentity('VIRTUAL', MODEL)
    if (!dev || !id) throw new Error('no development key for VIRTUAL')
    const message = attestationMessage(MODEL, 'VIRTUAL', challenge)
    expect(verify(null, message, id.privateKey, signature)).toBe(true)
    // Not valid for another serial, another model or another challenge.
    expect(verify(null, attestationMessage(MODEL, 'VIRTUAL2', challenge), id.privateKey, signature)).toBe(
      false
    )
    expect(
      verify(null, attestationMessage('06e6:c201', 'VIRTUAL', challenge), id.privateKey, signature)
    ).toBe(false)
    expect(
      verify(null, attestationMessage(MODEL, 'VIRTUAL', randomBytes(32)), id.privateKey, signature)
    ).toBe(false)
  })

  it('a dongle with the firmware interface signs through output and input reports', async () => {
    const me = identity('DT-UNIT-0001')
    const challenge = randomBytes(32)
    const signature = await firmwareAccess(firmwareInterfaceHandle(new FirmwareTarget('1.0.0', me)), {
      via: 'interface'
    }).attest(challenge)
    expect(verify(null, attestationMessage(MODEL, 'DT-UNIT-0001', challenge), me.publicKey, signature)).toBe(
      true
    )
  })

  it('a dongle without a key answers that it cannot attest', async () => {
    const fw = firmwareAccess(firmwareInterfaceHandle(new FirmwareTarget('1.0.0', null)), {
      via: 'interface'
    })
    await expect(fw.attest(randomBytes(32))).rejects.toMatchObject({
      code: 'cannot-attest'
    } satisfies Partial<FirmwareError>)
  })

  it('an unplug between signing and reading loses the signature; the next ATTEST works', async () => {
    const me = identity('DT-UNIT-0002')
    const target = new FirmwareTarget('1.0.0', me)
    let pull = true
    const fw = firmwareAccess(
      firmwareInterfaceHandle(target, (op) => {
        if (op === 0x46 && pull) {
          pull = false
          target.powerLost()
        }
      }),
      { via: 'interface' }
    )
    await expect(fw.attest(randomBytes(32))).rejects.toMatchObject({ code: 'device-gone' })
    const challenge = randomBytes(32)
    const signature = await fw.attest(challenge)
    expect(verify(null, attestationMessage(MODEL, 'DT-UNIT-0002', challenge), me.publicKey, signature)).toBe(
      true
    )
  })
})
