import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'

vi.mock('electron', () => import('../../support/electron-mock'))
const electron = await import('../../support/electron-mock')
const { safeStorageVault } = await import('../../../src/main/electron/safe-storage-vault')
const { fileVault } = await import('../../../src/main/store/file-vault')
const { memoryVault } = await import('../../../src/main/store/secret-vault')

const TOKEN = '{"token":"dts_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG"}'

describe('the file vault (web host)', () => {
  it('keeps secrets in an owner-only file that survives a new instance', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vault-'))
    const v = fileVault(dir)
    expect(v.read('s')).toBeNull()
    v.write('s', TOKEN)
    v.write('other', 'x')
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600)
    expect(fileVault(dir).read('s')).toBe(TOKEN)
    v.delete('s')
    expect(fileVault(dir).read('s')).toBeNull()
    expect(fileVault(dir).read('other')).toBe('x')
    expect(v.protection).toBe('owner-only-file')
  })

  it('treats a corrupt or foreign file as empty instead of failing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vault-'))
    writeFileSync(join(dir, 'secrets.json'), '{"s": 42, "t": "ok", ')
    expect(fileVault(dir).read('s')).toBeNull()
    writeFileSync(join(dir, 'secrets.json'), '[1,2]')
    expect(fileVault(dir).read('s')).toBeNull()
    writeFileSync(join(dir, 'secrets.json'), '{"s": 42, "t": "ok"}')
    expect(fileVault(dir).read('s')).toBeNull()
    expect(fileVault(dir).read('t')).toBe('ok')
  })
})

describe('the safeStorage vault (Electron)', () => {
  it('stores only sealed bytes on disk and opens them again', () => {
    electron.safeStorageState.available = true
    electron.safeStorageState.backend = 'gnome_libsecret'
    const v = safeStorageVault('secrets-a')
    expect(v.protection).toBe('os-encrypted')
    v.write('s', TOKEN)
    const onDisk = readFileSync(join(electron.userData, 'secrets-a.json'), 'utf8')
    expect(onDisk).not.toContain('dts_')
    expect(safeStorageVault('secrets-a').read('s')).toBe(TOKEN)
  })

  it('forgets a value sealed under another key rather than failing', () => {
    const v = safeStorageVault('secrets-b')
    v.write('s', TOKEN)
    electron.safeStorageState.key = 0x33
    try {
      expect(safeStorageVault('secrets-b').read('s')).toBeNull()
      expect(readFileSync(join(electron.userData, 'secrets-b.json'), 'utf8')).not.toContain('"s"')
    } finally {
      electron.safeStorageState.key = 0x5a
    }
  })

  it('keeps secrets in memory only where the OS has no real encryption', () => {
    electron.safeStorageState.backend = 'basic_text'
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')
    Object.defineProperty(process, 'platform', { value: 'linux' })
    try {
      expect(safeStorageVault('secrets-c').protection).toBe('memory')
    } finally {
      if (platform) Object.defineProperty(process, 'platform', platform)
      electron.safeStorageState.backend = 'gnome_libsecret'
    }
    electron.safeStorageState.available = false
    expect(safeStorageVault('secrets-d').protection).toBe('memory')
    electron.safeStorageState.available = true
  })

  it('memory vault forgets on delete', () => {
    const v = memoryVault()
    v.write('s', 'x')
    v.delete('s')
    expect(v.read('s')).toBeNull()
  })
})
