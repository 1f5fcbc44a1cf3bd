/**
 * Version order for updates, by the Semantic Versioning 2.0 rules through the `semver` library rather than by hand:
 * numeric pre-release parts compare as numbers ("rc.9" < "rc.10"), hyphens belong to the pre-release ("rc-1" <
 * "rc-2"), and a pre-release sorts before its release. These comparisons guard against firmware and app
 * downgrades, so a string that is not a version is refused with a VersionError instead of being ordered somehow.
 */
import semver from 'semver'

export class VersionError extends Error {
  readonly code = 'bad-version'
  constructor(
    /** What the string was meant to be, e.g. "the installed firmware version". */
    readonly what: string,
    readonly value: string
  ) {
    // The value may come from a device: quoted and cut short, so it cannot forge a message or flood a log.
    super(`${what} ${JSON.stringify(value.slice(0, 40))} is not a version of the form x.y.z or x.y.z-pre`)
    this.name = 'VersionError'
  }
}

/**
 * The version if `value` is exactly a semantic version (build metadata allowed), else null. Stricter than
 * semver.valid, which also takes " 1.2.3" or "v1.2.3" and answers "1.2.3".
 */
export function asVersion(value: unknown): string | null {
  if (typeof value !== 'string') return null
  const parsed = semver.parse(value)
  if (!parsed) return null
  const canonical = parsed.build.length > 0 ? `${parsed.version}+${parsed.build.join('.')}` : parsed.version
  return canonical === value ? value : null
}

/** `value` as a version, or a VersionError that names `what` it was. */
export function requireVersion(value: string, what: string): string {
  const v = asVersion(value)
  if (v === null) throw new VersionError(what, value)
  return v
}

/** Negative when a < b, 0 when equal in precedence (build metadata ignored), positive when a > b. */
export function compareVersions(a: string, b: string): number {
  return semver.compare(requireVersion(a, 'version'), requireVersion(b, 'version'))
}
