/**
 * The release side of signed updates: describe artifacts (size, SHA-256), sign a manifest with an Ed25519 private
 * key, make a key pair. Used by `npm run sign-update` and by the tests; the app only ever verifies.
 */
import { createHash, createPrivateKey, generateKeyPairSync, sign } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { basename } from 'node:path'
import {
  type Artifact,
  type Manifest,
  type SignedManifest,
  manifestSchema
} from '../../shared/updates/manifest'

export function describeArtifact(
  file: string,
  spec: Omit<Artifact, 'size' | 'sha256' | 'path'> & { path?: string }
): Artifact {
  return {
    ...spec,
    path: spec.path ?? basename(file),
    size: statSync(file).size,
    sha256: createHash('sha256').update(readFileSync(file)).digest('hex')
  }
}

export function signManifest(manifest: Manifest, privateKeyPem: string, keyId: string): SignedManifest {
  const bytes = Buffer.from(JSON.stringify(manifestSchema.parse(manifest), null, 2))
  return {
    manifest: bytes.toString('base64'),
    signature: sign(null, bytes, createPrivateKey(privateKeyPem)).toString('base64'),
    keyId
  }
}

export function generateSigningKey(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString()
  }
}
