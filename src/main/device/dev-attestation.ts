/**
 * The development dongles' attestation keys (resources/virtual/dev-attestation-keys.json): the virtual dongle
 * and the USB rig's gadgets sign with them. They are published in the repository, so only a service in
 * development mode trusts them (it registers their public halves at start); a production registry never has them.
 */
import { createPrivateKey } from 'node:crypto'
import devKeys from '../../../resources/virtual/dev-attestation-keys.json'
import type { AttestationIdentity } from './drivers/firmware-target'

/** The identity a development dongle with this serial carries, or null when there is no key for it. */
export function devAttestationIdentity(serial: string, model: string): AttestationIdentity | null {
  const entry = devKeys.dongles.find((d) => d.serial === serial)
  if (!entry || model !== devKeys.model) return null
  const privateKey = createPrivateKey({
    key: {
      kty: 'OKP',
      crv: 'Ed25519',
      d: Buffer.from(entry.privateKey, 'base64').toString('base64url'),
      x: Buffer.from(entry.publicKey, 'base64').toString('base64url')
    },
    format: 'jwk'
  })
  return { serial, model, privateKey }
}
