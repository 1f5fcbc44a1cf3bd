/** Signed update manifests: the good case, and every refusal changing nothing; version order; resume arithmetic. */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { resumeOffset } from '../../../src/main/setup/downloader'
import { describeArtifact, generateSigningKey, signManifest } from '../../../src/main/setup/sign-manifest'
import { UpdateError, verifyArtifact, verifyManifest } from '../../../src/main/setup/update-verify'
import type { Manifest } from '../../../src/shared/updates/manifest'
import { compareVersions } from '../../../src/shared/updates/versions'

const release = generateSigningKey()
const other = generateSigningKey()
const keys = [{ keyId: 'release-1', publicKeyPem: release.publicKeyPem }]
const now = new Date('2026-11-22T12:00:00Z')
const context = { installedVersion: '0.1.0', appVersion: '0.1.0', now }

const manifest = (over: Partial<Manifest> = {}): Manifest => ({
  schema: 1,
  product: 'dialtone',
  version: '0.2.0',
  released: '2026-11-20T00:00:00.000Z',
  expires: '2026-12-20T00:00:00.000Z',
  minAppVersion: '0.1.0',
  notes: 'Faster dial tone.',
  artifacts: [{ kind: 'firmware', model: '06e6:c200', path: 'fw-1.2.bin', size: 3, sha256: 'a'.repeat(64) }],
  ...over
})

function refusal(fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    if (err instanceof UpdateError) return err.code
    throw err
  }
  return 'accepted'
}

describe('verifying a signed manifest', () => {
  it('accepts a manifest signed by a trusted key', () => {
    expect(
      verifyManifest(signManifest(manifest(), release.privateKeyPem, 'release-1'), keys, context).version
    ).toBe('0.2.0')
  })

  it.each([
    [
      'a changed byte',
      () => {
        const s = signManifest(manifest(), release.privateKeyPem, 'release-1')
        const bytes = Buffer.from(s.manifest, 'base64')
        bytes[bytes.indexOf('0.2.0')] = '9'.charCodeAt(0)
        return { ...s, manifest: bytes.toString('base64') }
      },
      'bad-signature'
    ],
    [
      'another key under the trusted id',
      () => signManifest(manifest(), other.privateKeyPem, 'release-1'),
      'bad-signature'
    ],
    ['an unknown key id', () => signManifest(manifest(), other.privateKeyPem, 'someone'), 'unknown-key'],
    ['not an envelope', () => ({ hello: 'world' }), 'malformed'],
    [
      'an expired manifest',
      () =>
        signManifest(manifest({ expires: '2026-11-22T11:59:59.000Z' }), release.privateKeyPem, 'release-1'),
      'expired'
    ],
    [
      'the installed version again',
      () => signManifest(manifest({ version: '0.1.0' }), release.privateKeyPem, 'release-1'),
      'downgrade'
    ],
    [
      'an older version',
      () => signManifest(manifest({ version: '0.0.9' }), release.privateKeyPem, 'release-1'),
      'downgrade'
    ],
    [
      'a pre-release of the installed version',
      () => signManifest(manifest({ version: '0.1.0-rc.1' }), release.privateKeyPem, 'release-1'),
      'downgrade'
    ],
    [
      'a newer app required',
      () => signManifest(manifest({ minAppVersion: '0.3.0' }), release.privateKeyPem, 'release-1'),
      'app-too-old'
    ]
  ] as const)('refuses %s', (_name, make, code) => {
    expect(refusal(() => verifyManifest(make(), keys, context))).toBe(code)
  })

  // Firmware pre-releases: hand-written order ranked "rc.9" above "rc.10" and took "rc-2" for "rc-1".
  it.each([
    ['1.0.0-rc.10', '1.0.0-rc.9', 'downgrade'],
    ['1.0.0-rc.9', '1.0.0-rc.10', 'accepted'],
    ['1.0.0-rc-2', '1.0.0-rc-1', 'downgrade'],
    ['1.0.0-rc-1', '1.0.0-rc-2', 'accepted'],
    ['1.0.0-rc.1', '1.0.0', 'accepted'],
    ['1.0.0', '1.0.0-rc.99', 'downgrade']
  ] as const)('with %s installed, firmware %s is %s', (installed, offered, code) => {
    const signed = signManifest(manifest({ version: offered }), release.privateKeyPem, 'release-1')
    const got = refusal(() => verifyManifest(signed, keys, { ...context, installedVersion: installed }))
    expect(got).toBe(code)
  })

  it.each([
    ['installedVersion', 'garbage'],
    ['installedVersion', '1.0'],
    ['installedVersion', 'v1.0.0'],
    ['installedVersion', ''],
    ['appVersion', '1.0.0-'],
    ['appVersion', '01.0.0']
  ] as const)('refuses when the %s is %j, which is not a version, with a clear error', (key, value) => {
    const signed = signManifest(manifest(), release.privateKeyPem, 'release-1')
    let caught: unknown
    try {
      verifyManifest(signed, keys, { ...context, [key]: value })
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(UpdateError)
    expect((caught as UpdateError).code).toBe('bad-version')
    expect((caught as UpdateError).message).toContain(`${JSON.stringify(value)} is not a version`)
  })

  it('refuses to sign, and so to ship, an artifact path that leaves the update folder', () => {
    const bad = manifest({
      artifacts: [
        { kind: 'firmware', model: '06e6:c200', path: '../../etc/passwd', size: 1, sha256: 'a'.repeat(64) }
      ]
    })
    expect(() => signManifest(bad, release.privateKeyPem, 'release-1')).toThrow(/relative path/)
  })
})

describe('checking a downloaded artifact', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-art-'))
  const good = join(dir, 'fw.bin')
  writeFileSync(good, Buffer.from([1, 2, 3, 4]))
  const signed = describeArtifact(good, { kind: 'firmware', model: '06e6:c200' })

  it.each([
    ['the signed file', Buffer.from([1, 2, 3, 4]), 'accepted'],
    ['a truncated file', Buffer.from([1, 2, 3]), 'truncated'],
    ['an oversized file', Buffer.from([1, 2, 3, 4, 5]), 'oversized'],
    ['a corrupted byte', Buffer.from([1, 2, 3, 5]), 'hash-mismatch']
  ] as const)('%s: %s', async (_name, bytes, code) => {
    const f = join(dir, `candidate-${code}`)
    writeFileSync(f, bytes)
    const got = await verifyArtifact(f, signed).then(
      () => 'accepted',
      (err: unknown) => (err instanceof UpdateError ? err.code : String(err))
    )
    expect(got).toBe(code)
  })
})

describe('versions and resume', () => {
  it.each([
    ['0.1.0', '0.1.0', 0],
    ['0.1.0', '0.2.0', -1],
    ['1.0.0', '0.9.9', 1],
    ['0.10.0', '0.9.0', 1],
    ['1.0.0-rc.1', '1.0.0', -1],
    ['1.0.0-rc.1', '1.0.0-rc.2', -1],
    ['1.0.0-rc.9', '1.0.0-rc.10', -1],
    ['1.0.0-rc-1', '1.0.0-rc-2', -1],
    ['1.0.0-rc.1', '1.0.0-rc.1.1', -1],
    ['1.0.0+build.2', '1.0.0+build.1', 0]
  ] as const)('%s vs %s', (a, b, sign) => expect(Math.sign(compareVersions(a, b))).toBe(sign))

  it.each([
    [0, 100, 0],
    [40, 100, 40],
    [100, 100, 100],
    [101, 100, 0]
  ] as const)('a part file of %i bytes for %i expected resumes at %i', (have, expected, at) => {
    expect(resumeOffset(have, expected)).toBe(at)
  })
})
