/** Rolling back an app update that does not work here: two unhealthy launches in a row, and a version that did. */
import { describe, expect, it } from 'vitest'
import { LaunchHealth } from '../../../src/main/setup/launch-health'
import { memoryStore } from '../../../src/main/store/key-value-store'
import { VersionError } from '../../../src/shared/updates/versions'

describe('launch health', () => {
  it('keeps a version that becomes healthy, however often it starts', () => {
    const store = memoryStore()
    for (let i = 0; i < 5; i++) {
      const h = new LaunchHealth(store, '1.0.0')
      h.launched()
      h.healthy()
      expect(h.rollbackTarget()).toBeNull()
    }
  })

  it('rolls back to the last good version after two launches of the new one die before healthy', () => {
    const store = memoryStore()
    const v1 = new LaunchHealth(store, '1.0.0')
    v1.launched()
    v1.healthy()
    const v2 = new LaunchHealth(store, '1.1.0')
    v2.launched() // dies
    v2.launched() // first failure counted
    expect(v2.rollbackTarget()).toBeNull()
    v2.launched() // second failure counted
    expect(v2.rollbackTarget()).toBe('1.0.0')
  })

  it('never rolls back without an earlier version that worked, nor once the new one became healthy', () => {
    const store = memoryStore()
    const first = new LaunchHealth(store, '1.0.0')
    first.launched()
    first.launched()
    first.launched()
    expect(first.rollbackTarget()).toBeNull()
    first.healthy()
    const next = new LaunchHealth(store, '1.1.0')
    next.launched()
    next.launched()
    next.healthy()
    next.launched()
    expect(next.rollbackTarget()).toBeNull()
  })

  it('rolls back only to an older version by semver order (rc.10 is newer than rc.9)', () => {
    const store = memoryStore()
    const good = new LaunchHealth(store, '2.0.0-rc.9')
    good.launched()
    good.healthy()
    const next = new LaunchHealth(store, '2.0.0-rc.10')
    for (let i = 0; i < 3; i++) next.launched()
    expect(next.rollbackTarget()).toBe('2.0.0-rc.9')

    // The last good version is newer than this one (installed by hand): going "back" would be an upgrade.
    const newer = memoryStore()
    const v3 = new LaunchHealth(newer, '1.0.0-rc-2')
    v3.launched()
    v3.healthy()
    const older = new LaunchHealth(newer, '1.0.0-rc-1')
    for (let i = 0; i < 3; i++) older.launched()
    expect(older.rollbackTarget()).toBeNull()
  })

  it('refuses an app version that is not a version, and ignores a damaged stored one', () => {
    expect(() => new LaunchHealth(memoryStore(), '1.0')).toThrow(VersionError)
    const store = memoryStore()
    store.set('app.launchHealth', {
      lastGood: 'not a version',
      current: '1.1.0',
      failedLaunches: 5,
      pending: true
    })
    expect(new LaunchHealth(store, '1.1.0').rollbackTarget()).toBeNull()
  })
})
