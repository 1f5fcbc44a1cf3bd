import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EventBus } from '../../../src/main/ipc/event-bus'
import { silentLogger } from '../../../src/main/log/logger'
import { createConfStore } from '../../../src/main/store/conf-store'
import { SettingsService } from '../../../src/main/store/settings-service'
import { DEFAULT_SETTINGS } from '../../../src/shared/settings'

const service = (dir: string): SettingsService =>
  new SettingsService(createConfStore(dir), new EventBus(silentLogger()))

describe('settings on disk (conf)', () => {
  it('survive a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dialtone-settings-'))
    service(dir).set({ language: 'sl', startAtLogin: false })
    expect(service(dir).get()).toEqual({ ...DEFAULT_SETTINGS, language: 'sl', startAtLogin: false })
  })

  it('keep every valid field when one stored field no longer validates', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dialtone-settings-'))
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ settings: { language: 'ro', theme: 'neon' } }))
    expect(service(dir).get()).toEqual({ ...DEFAULT_SETTINGS, language: 'ro' })
  })

  it('start from defaults when the file is not JSON at all', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dialtone-settings-'))
    writeFileSync(join(dir, 'settings.json'), '{"settings": {"lang')
    expect(service(dir).get()).toEqual(DEFAULT_SETTINGS)
  })

  it('are not written when a change is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dialtone-settings-'))
    const s = service(dir)
    s.set({ theme: 'dark' })
    const before = readFileSync(join(dir, 'settings.json'), 'utf8')
    expect(() => s.set({ theme: 'dark', serviceUrl: 'javascript:alert(1)' })).toThrow('serviceUrl')
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe(before)
  })
})

describe('settings read once', () => {
  it('come from the file once, then from memory; a change is stored and seen at once; no caller can alter them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dialtone-settings-'))
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ settings: { tonePlan: 'cept' } }))
    const conf = createConfStore(dir)
    let reads = 0
    const s = new SettingsService(
      { ...conf, get: (k) => (reads++, conf.get(k)) },
      new EventBus(silentLogger())
    )
    for (let i = 0; i < 5; i++) expect(s.get().tonePlan).toBe('cept')
    expect(reads).toBe(1)
    // A caller that changes what it was given changes nothing for the next one.
    const mine = s.get()
    mine.tonePlan = 'us'
    expect(s.get().tonePlan).toBe('cept')
    const changed = s.set({ tonePlan: 'us', theme: 'dark' })
    changed.theme = 'light'
    expect(s.get()).toMatchObject({ tonePlan: 'us', theme: 'dark' })
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toMatchObject({
      settings: { tonePlan: 'us', theme: 'dark' }
    })
    expect(reads).toBe(1)
    // A refused change leaves what is read as it was.
    expect(() => s.set({ serviceUrl: 'javascript:alert(1)' })).toThrow('serviceUrl')
    expect(s.get()).toMatchObject({ tonePlan: 'us', theme: 'dark' })
  })
})

describe('installation defaults', () => {
  it('apply until the person chooses, and a bad one is refused at start', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dialtone-settings-'))
    const bus = new EventBus(silentLogger())
    const s = new SettingsService(createConfStore(dir), bus, { serviceUrl: 'http://127.0.0.1:9999' })
    expect(s.get().serviceUrl).toBe('http://127.0.0.1:9999')
    s.set({ serviceUrl: 'https://service.example' })
    expect(s.get().serviceUrl).toBe('https://service.example')
    expect(() => new SettingsService(createConfStore(dir), bus, { serviceUrl: 'nope' })).toThrow(
      'bad default settings: serviceUrl'
    )
  })
})
