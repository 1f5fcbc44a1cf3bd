/**
 * Signed update manifests: what a release offers (the app per platform, firmware per dongle model), each artifact
 * with its exact size and SHA-256, the lowest app version that may apply it, when the manifest stops being valid,
 * and release notes. The signed envelope carries the manifest's exact bytes (base64) and an Ed25519 signature over
 * them, so no JSON canonicalisation is needed to verify. Pure: parsing only (version order is in versions.ts).
 */
import { z } from 'zod'
import { asVersion } from './versions'

/** x.y.z with an optional pre-release, within modest bounds, and a valid semantic version (no "01", no "rc..1"). */
export const semverSchema = z
  .string()
  .regex(/^\d{1,4}\.\d{1,4}\.\d{1,6}(-[0-9A-Za-z.-]{1,40})?$/, 'a version is x.y.z')
  .refine((v) => asVersion(v) !== null, 'a version is x.y.z by the semantic versioning rules')

export const artifactSchema = z
  .object({
    kind: z.enum(['app', 'firmware']),
    /** App builds: the OS and CPU they are for. */
    platform: z.enum(['linux', 'win32', 'darwin']).optional(),
    arch: z.enum(['x64', 'arm64']).optional(),
    /** Firmware: the dongle model (vendor:product) it is for. */
    model: z
      .string()
      .regex(/^[0-9a-f]{4}:[0-9a-f]{4}$/)
      .optional(),
    /** Relative to the manifest's URL; never another host. */
    path: z
      .string()
      .regex(/^[A-Za-z0-9._/-]{1,200}$/)
      .refine((p) => !p.includes('..') && !p.startsWith('/'), 'a relative path'),
    size: z
      .number()
      .int()
      .positive()
      .max(1024 * 1024 * 1024),
    sha256: z.string().regex(/^[0-9a-f]{64}$/)
  })
  .strict()
  .refine(
    (a) => (a.kind === 'app' ? a.platform !== undefined && a.arch !== undefined : a.model !== undefined),
    'an app build names its platform and arch; firmware names its model'
  )
export type Artifact = z.infer<typeof artifactSchema>

export const manifestSchema = z
  .object({
    schema: z.literal(1),
    product: z.literal('dialtone'),
    version: semverSchema,
    released: z.iso.datetime(),
    expires: z.iso.datetime(),
    minAppVersion: semverSchema,
    notes: z.string().max(20_000),
    artifacts: z.array(artifactSchema).min(1).max(100)
  })
  .strict()
export type Manifest = z.infer<typeof manifestSchema>

export const signedManifestSchema = z
  .object({
    /** The manifest's JSON bytes, base64. */
    manifest: z.string().max(200_000),
    /** Ed25519 over those bytes, base64. */
    signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'an Ed25519 signature'),
    keyId: z.string().max(64)
  })
  .strict()
export type SignedManifest = z.infer<typeof signedManifestSchema>
