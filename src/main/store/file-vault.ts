/**
 * A SecretVault for plain Node hosts (the web host, the CLI): one JSON file readable by its owner only (0600,
 * inside the data folder), replaced atomically (write a temporary file, then rename) so a crash mid-write
 * leaves the previous file. It is as strong as the account's file permissions, which is what the web host's
 * other state has too; the Electron host uses safeStorage instead.
 */
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SecretVault } from './secret-vault'

export function fileVault(dataDir: string, fileName = 'secrets.json'): SecretVault {
  const path = join(dataDir, fileName)
  const load = (): Record<string, string> => {
    try {
      const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'))
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {}
      return Object.fromEntries(
        Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string')
      )
    } catch {
      // Missing or unreadable: no secrets kept, the person signs in again. Nothing else depends on it.
      return {}
    }
  }
  const save = (data: Record<string, string>): void => {
    const tmp = `${path}.${process.pid}.tmp`
    writeFileSync(tmp, JSON.stringify(data), { mode: 0o600 })
    chmodSync(tmp, 0o600)
    renameSync(tmp, path)
  }
  return {
    protection: 'owner-only-file',
    read: (n) => load()[n] ?? null,
    write: (n, v) => save({ ...load(), [n]: v }),
    delete: (n) => {
      const data = load()
      if (!(n in data)) return
      delete data[n]
      save(data)
    }
  }
}
