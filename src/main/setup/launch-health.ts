/**
 * Whether this version of the app works here, judged by its own launches: a launch counts as healthy once the
 * brain has run for a while (HEALTHY_AFTER_MS) without dying. A version that fails to get there twice in a row,
 * when an earlier version did, is rolled back: the app updater is pointed at that version's release (its
 * channel, `v<version>`) with downgrades allowed. Pure and store-backed, so it runs (and is tested) in Node.
 */
import { asVersion, compareVersions, requireVersion } from '../../shared/updates/versions'
import type { KeyValueStore } from '../store/key-value-store'

export const HEALTHY_AFTER_MS = 60_000
const KEY = 'app.launchHealth'
/** Failed launches of one version before it is given up. */
const GIVE_UP_AFTER = 2

interface Health {
  /** The version that last had a healthy launch. */
  readonly lastGood: string | null
  /** The version launched last, and how many launches of it in a row never became healthy. */
  readonly current: string | null
  readonly failedLaunches: number
  /** Whether the last launch has been marked healthy yet. */
  readonly pending: boolean
}

const EMPTY: Health = { lastGood: null, current: null, failedLaunches: 0, pending: false }

export class LaunchHealth {
  private readonly version: string

  /** Throws a VersionError when `version` is not a semantic version: rollbacks are decided by version order. */
  constructor(
    private readonly store: KeyValueStore,
    version: string
  ) {
    this.version = requireVersion(version, 'the app version')
  }

  private read(): Health {
    const raw = this.store.get(KEY)
    return raw && typeof raw === 'object' ? { ...EMPTY, ...(raw as Partial<Health>) } : EMPTY
  }

  /** Called at start-up: a previous launch of this version that never became healthy counts as a failure. */
  launched(): void {
    const h = this.read()
    const same = h.current === this.version
    const failedLaunches = same ? h.failedLaunches + (h.pending ? 1 : 0) : 0
    this.store.set(KEY, { ...h, current: this.version, failedLaunches, pending: true })
  }

  /** Called once the app has run HEALTHY_AFTER_MS: this version works here. */
  healthy(): void {
    this.store.set(KEY, { ...this.read(), lastGood: this.version, failedLaunches: 0, pending: false })
  }

  /**
   * The version to go back to, or null when this one is fine (or there is nothing older that worked). Only an
   * older version by semver order: a stored value that is not a version (a damaged store) is no target.
   */
  rollbackTarget(): string | null {
    const h = this.read()
    if (h.current !== this.version || h.failedLaunches < GIVE_UP_AFTER) return null
    const lastGood = asVersion(h.lastGood)
    return lastGood !== null && compareVersions(lastGood, this.version) < 0 ? lastGood : null
  }
}
