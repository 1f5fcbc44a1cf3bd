/**
 * The SecretVault of the Electron host: values encrypted with safeStorage (macOS Keychain, Windows DPAPI,
 * libsecret or kwallet on Linux) and kept, as base64, in an electron-store file. Where safeStorage has no real
 * backend (Linux without a keyring reports 'basic_text', a hard-coded key), the vault keeps secrets in memory
 * only: signing in again after a restart is better than a token on disk under a key everyone knows.
 */
import ElectronStore from 'electron-store'
import { safeStorage } from 'electron'
import { memoryVault, type SecretVault } from '../store/secret-vault'

export function safeStorageVault(name = 'secrets'): SecretVault {
  const weakLinux = process.platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text'
  if (!safeStorage.isEncryptionAvailable() || weakLinux) return memoryVault()
  const store = new ElectronStore<Record<string, string>>({ name, clearInvalidConfig: true })
  return {
    protection: 'os-encrypted',
    read(n) {
      const sealed = store.get(n)
      if (typeof sealed !== 'string') return null
      try {
        return safeStorage.decryptString(Buffer.from(sealed, 'base64'))
      } catch {
        // Sealed under another key (profile copied to another machine): forget it, sign in again.
        store.delete(n)
        return null
      }
    },
    write: (n, v) => store.set(n, safeStorage.encryptString(v).toString('base64')),
    delete: (n) => store.delete(n)
  }
}
