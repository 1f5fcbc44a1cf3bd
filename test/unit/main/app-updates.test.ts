/**
 * The app's own updates (src/main/setup/app-updates.ts) over an updater that emits what electron-updater emits, in
 * its order (UpdaterEvents in electron-updater's types.d.ts; with autoDownload on, update-available is followed by
 * download-progress and update-downloaded): the states Settings shows, a look asked for while one runs changes
 * nothing, a downloaded update stays ready whatever later looks say, restarting is refused before a download and
 * during a call, and a build without an updater says so and offers nothing.
 */
import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { AppUpdates, type UpdaterPort } from '../../../src/main/setup/app-updates'
import type { AppUpdateState } from '../../../src/shared/ipc/app'
import { DialtoneError } from '../../../src/shared/ipc/errors'

const NOW = new Date('2026-12-04T21:00:00.000Z')

/** electron-updater's side: each look plays `script`'s next sequence of events, after the call returns. */
function updater(script: (readonly [string, unknown?])[][]) {
  const emitter = new EventEmitter()
  let installs = 0
  let looks = 0
  const port: UpdaterPort = {
    on: (event, listener) => emitter.on(event, listener),
    checkForUpdates: async () => {
      const events = script[looks++] ?? []
      await Promise.resolve()
      for (const [name, arg] of events) emitter.emit(name, arg)
      if (events.some(([name]) => name === 'error')) throw new Error('net::ERR_INTERNET_DISCONNECTED')
      // An active electron-updater resolves an UpdateCheckResult (null only when it is inactive).
      return { isUpdateAvailable: events.some(([name]) => name === 'update-available') }
    },
    quitAndInstall: () => void installs++
  }
  return { port, emitter, installs: () => installs, looks: () => looks }
}

function app(port: UpdaterPort | null, inCall = () => false) {
  const seen: AppUpdateState[] = []
  const updates = new AppUpdates(port, { inCall, changed: (s) => seen.push(s), now: () => NOW })
  return { updates, seen }
}

const settle = () => new Promise((r) => setTimeout(r, 0))

describe('the app’s own updates', () => {
  it('finds a newer version, shows its download, then restarts into it', async () => {
    const u = updater([
      [
        ['checking-for-update'],
        ['update-available', { version: '1.4.0', files: [], releaseDate: '2026-12-01' }],
        ['download-progress', { percent: 12.6, transferred: 1, total: 8, bytesPerSecond: 1, delta: 1 }],
        ['download-progress', { percent: 100.4, transferred: 8, total: 8, bytesPerSecond: 1, delta: 7 }],
        ['update-downloaded', { version: '1.4.0', downloadedFile: '/tmp/x' }]
      ]
    ])
    const { updates, seen } = app(u.port)
    expect(updates.state()).toEqual({ status: 'idle', checkedAt: null })
    expect(updates.check()).toEqual({ status: 'checking' })
    await settle()
    expect(seen).toEqual([
      { status: 'checking' },
      { status: 'downloading', version: '1.4.0', percent: 0 },
      { status: 'downloading', version: '1.4.0', percent: 13 },
      { status: 'downloading', version: '1.4.0', percent: 100 },
      { status: 'ready', version: '1.4.0' }
    ])
    expect(updates.install()).toBeNull()
    expect(u.installs()).toBe(1)
  })

  it('says when it last looked and found nothing newer, and looks again when asked', async () => {
    const u = updater([[['checking-for-update'], ['update-not-available', { version: '1.3.0' }]], []])
    const { updates } = app(u.port)
    updates.check()
    await settle()
    expect(updates.state()).toEqual({ status: 'idle', checkedAt: NOW.toISOString() })
    updates.check()
    expect(u.looks()).toBe(2)
  })

  it('asks once while a look runs, and a ready update stays ready whatever a later look says', async () => {
    const u = updater([
      [['checking-for-update'], ['update-available', { version: '2.0.0' }]],
      [['checking-for-update'], ['update-not-available', { version: '2.0.0' }]]
    ])
    const { updates } = app(u.port)
    updates.check()
    updates.check()
    await settle()
    expect(u.looks()).toBe(1)
    expect(updates.check()).toEqual({ status: 'downloading', version: '2.0.0', percent: 0 })
    expect(u.looks()).toBe(1)
    u.emitter.emit('update-downloaded', { version: '2.0.0' })
    // The six-hourly look of the Electron host runs by itself; what it finds does not undo the download.
    u.emitter.emit('checking-for-update')
    u.emitter.emit('update-not-available', { version: '2.0.0' })
    u.emitter.emit('error', new Error('net::ERR_NAME_NOT_RESOLVED'))
    expect(updates.state()).toEqual({ status: 'ready', version: '2.0.0' })
    expect(updates.check()).toEqual({ status: 'ready', version: '2.0.0' })
    expect(u.looks()).toBe(1)
  })

  it('says when the update server did not answer, and a look can be asked again', async () => {
    const u = updater([[['checking-for-update'], ['error', new Error('net::ERR_INTERNET_DISCONNECTED')]], []])
    const { updates } = app(u.port)
    updates.check()
    await settle()
    expect(updates.state()).toEqual({ status: 'failed', at: NOW.toISOString() })
    expect(updates.check()).toEqual({ status: 'checking' })
  })

  it('fails a look whose call is refused before any event', async () => {
    const port: UpdaterPort = {
      on: () => undefined,
      checkForUpdates: () => Promise.reject(new Error('no published versions')),
      quitAndInstall: () => undefined
    }
    const { updates } = app(port)
    updates.check()
    await settle()
    expect(updates.state()).toEqual({ status: 'failed', at: NOW.toISOString() })
  })

  it('says this copy does not update itself when the updater answers nothing (a packaging it cannot update)', async () => {
    const port: UpdaterPort = {
      on: () => undefined,
      checkForUpdates: () => Promise.resolve(null),
      quitAndInstall: () => undefined
    }
    const { updates } = app(port)
    updates.check()
    await settle()
    expect(updates.state()).toEqual({ status: 'unavailable' })
  })

  it('refuses to restart before a download, and during a call', async () => {
    let calling = true
    const u = updater([
      [
        ['update-available', { version: '1.5.0' }],
        ['update-downloaded', { version: '1.5.0' }]
      ]
    ])
    const { updates } = app(u.port, () => calling)
    const refusal = (run: () => unknown) => {
      try {
        run()
      } catch (err) {
        return err instanceof DialtoneError ? [err.code, err.reason] : err
      }
      return null
    }
    expect(refusal(() => updates.install())).toEqual(['CONFLICT', 'update-not-ready'])
    updates.check()
    await settle()
    expect(refusal(() => updates.install())).toEqual(['CONFLICT', 'call-in-progress'])
    expect(u.installs()).toBe(0)
    calling = false
    updates.install()
    expect(u.installs()).toBe(1)
  })

  it('a build without an updater says so, looks for nothing and restarts into nothing', () => {
    const { updates, seen } = app(null)
    expect(updates.state()).toEqual({ status: 'unavailable' })
    expect(updates.check()).toEqual({ status: 'unavailable' })
    expect(() => updates.install()).toThrow(DialtoneError)
    expect(seen).toEqual([])
  })
})
