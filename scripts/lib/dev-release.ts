/**
 * The dev stack's signed release, so the app's update step has something real to check: at the first start a dev
 * Ed25519 key is made (private half 0600, outside the served folder), and a release is signed into the releases
 * folder: firmware 1.0.1 for every dongle model in the catalog (the virtual dongle runs 1.0.0), through the same
 * signing code as `npm run sign-update`. The app started with the stack trusts the dev key's public half
 * (DIALTONE_UPDATE_KEYS_DIR). A release signed with any other key is somebody's own and is left alone; ours is
 * signed again when it is about to expire or no longer matches the key.
 */
import { createPublicKey, verify } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { CATALOG } from '../../src/main/device/catalog'
import { describeArtifact, generateSigningKey, signManifest } from '../../src/main/setup/sign-manifest'

export const DEV_KEY_ID = 'dialtone-dev'
export const DEV_FIRMWARE_VERSION = '1.0.1'
const VALID_DAYS = 30
const DAY = 86_400_000

export interface DevRelease {
  /** What the releases folder holds, in a few words for the start-up summary. */
  readonly summary: string
  /** Signed with the dev key (else somebody's own release, to be trusted through their own key). */
  readonly ours: boolean
}

interface Envelope {
  manifest?: unknown
  signature?: unknown
  keyId?: unknown
}

function readEnvelope(file: string): Envelope | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Envelope
  } catch {
    return null
  }
}

/** Our manifest, still signed by our current key and valid for at least another day. */
function stillGood(envelope: Envelope, publicKeyPem: string): boolean {
  if (typeof envelope.manifest !== 'string' || typeof envelope.signature !== 'string') return false
  const bytes = Buffer.from(envelope.manifest, 'base64')
  try {
    if (!verify(null, bytes, createPublicKey(publicKeyPem), Buffer.from(envelope.signature, 'base64')))
      return false
    const expires = Date.parse((JSON.parse(bytes.toString('utf8')) as { expires?: string }).expires ?? '')
    return expires - Date.now() > DAY
  } catch {
    return false
  }
}

function devKey(keysDir: string): { privateKeyPem: string; publicKeyPem: string } {
  const privatePath = join(keysDir, `${DEV_KEY_ID}.pem`)
  const publicPath = join(keysDir, `${DEV_KEY_ID}.pub`)
  if (existsSync(privatePath) && existsSync(publicPath))
    return {
      privateKeyPem: readFileSync(privatePath, 'utf8'),
      publicKeyPem: readFileSync(publicPath, 'utf8')
    }
  mkdirSync(keysDir, { recursive: true, mode: 0o700 })
  const key = generateSigningKey()
  rmSync(privatePath, { force: true })
  writeFileSync(privatePath, key.privateKeyPem, { mode: 0o600 })
  writeFileSync(publicPath, key.publicKeyPem)
  return key
}

export function ensureDevRelease(releasesDir: string, keysDir: string): DevRelease {
  mkdirSync(releasesDir, { recursive: true })
  const manifestPath = join(releasesDir, 'manifest.json')
  const existing = readEnvelope(manifestPath)
  if (existing && existing.keyId !== DEV_KEY_ID && typeof existing.keyId === 'string')
    return { summary: `your release signed with ${existing.keyId}`, ours: false }
  const key = devKey(keysDir)
  if (existing && stillGood(existing, key.publicKeyPem))
    return { summary: `dev release ${DEV_FIRMWARE_VERSION}`, ours: true }

  const artifacts = CATALOG.models.map((model) => {
    const name = `firmware-${model.vendorId}-${model.productId}-${DEV_FIRMWARE_VERSION}.bin`
    const image = Buffer.alloc(4096)
    image.write(`Dialtone dev firmware ${DEV_FIRMWARE_VERSION} for ${model.name}\n`)
    writeFileSync(join(releasesDir, name), image)
    return describeArtifact(join(releasesDir, name), {
      kind: 'firmware',
      model: `${model.vendorId}:${model.productId}`
    })
  })
  const now = Date.now()
  const envelope = signManifest(
    {
      schema: 1,
      product: 'dialtone',
      version: DEV_FIRMWARE_VERSION,
      released: new Date(now).toISOString(),
      expires: new Date(now + VALID_DAYS * DAY).toISOString(),
      minAppVersion: '0.0.0',
      notes: 'Development release made by the dev stack: firmware for the virtual dongle.',
      artifacts
    },
    key.privateKeyPem,
    DEV_KEY_ID
  )
  writeFileSync(manifestPath, JSON.stringify(envelope, null, 2) + '\n')
  return { summary: `dev release ${DEV_FIRMWARE_VERSION}, signed just now`, ours: true }
}
