/**
 * The port for the few secrets main keeps between runs (the account session token). Implementations say how
 * well they keep them, so the app can tell the person the truth: 'os-encrypted' (Electron safeStorage, backed
 * by the OS keychain / DPAPI / libsecret), 'owner-only-file' (plain Node hosts: a 0600 file in the data
 * folder), or 'memory' (nothing survives a restart: chosen when the OS offers no real encryption).
 */
export type VaultProtection = 'os-encrypted' | 'owner-only-file' | 'memory'

export interface SecretVault {
  readonly protection: VaultProtection
  read(name: string): string | null
  write(name: string, value: string): void
  delete(name: string): void
}

export function memoryVault(): SecretVault {
  const data = new Map<string, string>()
  return {
    protection: 'memory',
    read: (n) => data.get(n) ?? null,
    write: (n, v) => void data.set(n, v),
    delete: (n) => void data.delete(n)
  }
}
