/** The Ed25519 keys update manifests may be signed with: resources/update-keys/*.pub and $DIALTONE_UPDATE_KEYS_DIR. */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { TrustedKey } from './update-verify'

export function loadTrustedKeys(dirs: readonly string[]): TrustedKey[] {
  return dirs
    .filter((d) => existsSync(d))
    .flatMap((d) =>
      readdirSync(d)
        .filter((f) => /^[A-Za-z0-9._-]{1,64}\.pub$/.test(f))
        .map((f) => ({ keyId: f.slice(0, -4), publicKeyPem: readFileSync(join(d, f), 'utf8') }))
    )
}
