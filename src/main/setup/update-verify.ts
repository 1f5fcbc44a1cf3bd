/**
 * Verifying an update before anything is applied: the envelope's Ed25519 signature against a key shipped in
 * resources/ (node:crypto; no library needed), then the manifest's own rules (product, not expired, not older than
 * what is installed, not needing a newer app), then each downloaded artifact's exact size and SHA-256. Every
 * refusal is an UpdateError with a stable code and a sentence, and refusing changes nothing.
 */
import { createHash, createPublicKey, verify } from 'node:crypto'
import { createReadStream, statSync } from 'node:fs'
import {
  type Artifact,
  type Manifest,
  manifestSchema,
  signedManifestSchema
} from '../../shared/updates/manifest'
import type { UPDATE_REFUSALS } from '../../shared/ipc/setup'
import { asVersion, compareVersions, VersionError } from '../../shared/updates/versions'

export type UpdateRefusal = (typeof UPDATE_REFUSALS)[number]

export class UpdateError extends Error {
  constructor(
    readonly code: UpdateRefusal,
    message: string
  ) {
    super(message)
    this.name = 'UpdateError'
  }
}

export interface TrustedKey {
  readonly keyId: string
  /** SPKI PEM of an Ed25519 public key. */
  readonly publicKeyPem: string
}

function versionOf(value: string, what: string): string {
  const v = asVersion(value)
  if (v === null) throw new UpdateError('bad-version', new VersionError(what, value).message)
  return v
}

export function verifyManifest(
  raw: unknown,
  keys: readonly TrustedKey[],
  context: { installedVersion: string; appVersion: string; now: Date }
): Manifest {
  const envelope = signedManifestSchema.safeParse(raw)
  if (!envelope.success)
    throw new UpdateError('malformed', 'the update manifest is not in the expected format')
  const key = keys.find((k) => k.keyId === envelope.data.keyId)
  if (!key)
    throw new UpdateError(
      'unknown-key',
      `the update manifest is signed with an unknown key (${envelope.data.keyId})`
    )
  const bytes = Buffer.from(envelope.data.manifest, 'base64')
  const ok = verify(
    null,
    bytes,
    createPublicKey(key.publicKeyPem),
    Buffer.from(envelope.data.signature, 'base64')
  )
  if (!ok)
    throw new UpdateError(
      'bad-signature',
      'the update manifest’s signature does not verify: it was altered or not signed by Dialtone'
    )
  let json: unknown
  try {
    json = JSON.parse(bytes.toString('utf8'))
  } catch {
    throw new UpdateError('malformed', 'the signed update manifest is not JSON')
  }
  const parsed = manifestSchema.safeParse(json)
  if (!parsed.success)
    throw new UpdateError(
      'malformed',
      `the signed update manifest is not valid: ${parsed.error.issues[0]?.message ?? ''}`
    )
  const m = parsed.data
  // What is installed comes from the dongle (or the app): a string that is not a version cannot be ordered, so it
  // is refused rather than compared somehow (an unordered version would let a downgrade through).
  const installed = versionOf(context.installedVersion, 'the installed version')
  const app = versionOf(context.appVersion, 'the app version')
  if (Date.parse(m.expires) <= context.now.getTime())
    throw new UpdateError(
      'expired',
      `the update manifest expired on ${m.expires.slice(0, 10)}; an old manifest may be replayed by an attacker`
    )
  if (compareVersions(m.version, installed) <= 0)
    throw new UpdateError('downgrade', `version ${m.version} is not newer than the installed ${installed}`)
  if (compareVersions(app, m.minAppVersion) < 0)
    throw new UpdateError(
      'app-too-old',
      `this update needs Dialtone ${m.minAppVersion} or newer; update the app first`
    )
  return m
}

/** Checks a downloaded artifact's size and SHA-256 against the signed manifest. */
export async function verifyArtifact(
  file: string,
  artifact: Pick<Artifact, 'size' | 'sha256' | 'path'>
): Promise<void> {
  const size = statSync(file).size
  if (size < artifact.size)
    throw new UpdateError(
      'truncated',
      `${artifact.path} is ${size} bytes, ${artifact.size - size} short of the signed size`
    )
  if (size > artifact.size)
    throw new UpdateError(
      'oversized',
      `${artifact.path} is ${size - artifact.size} bytes larger than the signed size`
    )
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  const got = hash.digest('hex')
  if (got !== artifact.sha256)
    throw new UpdateError(
      'hash-mismatch',
      `${artifact.path} does not match its signed SHA-256 (got ${got.slice(0, 12)}…)`
    )
}
