/**
 * The app's own updates as the person sees them (Settings, About): what the updater is doing, and the two things a
 * person can do about it — look for a newer version now, and restart into one that is downloaded. The sentences
 * that say "Update Dialtone" (an answer the app does not understand, a dongle update that needs a newer app) lead
 * here, so this is where updating has to be possible.
 *
 * The updater is electron-updater in the Electron host (../electron/app-updater.ts hands it over as an
 * UpdaterPort: its events and its two calls); a development build and the web host have none, and the state is
 * then 'unavailable'. The events and their order are electron-updater's (UpdaterEvents in its types.d.ts):
 * checking-for-update, then update-not-available, or update-available followed by download-progress (percent) and
 * update-downloaded (autoDownload is on), or update-cancelled; error at any point. A downloaded update stays
 * 'ready' whatever later checks say: it is what the next start installs.
 */
import { DialtoneError } from '../../shared/ipc/errors'
import type { AppUpdateState } from '../../shared/ipc/app'

/** What the host's updater offers: electron-updater's events and the two calls this module makes. */
export interface UpdaterPort {
  on(event: string, listener: (arg?: unknown) => void): unknown
  checkForUpdates(): Promise<unknown>
  /** Closes the windows and restarts into the downloaded version. */
  quitAndInstall(): void
}

/** A version as electron-updater's UpdateInfo gives it; '' when the event carried none. */
const versionOf = (info: unknown): string =>
  typeof info === 'object' && info !== null && typeof (info as { version?: unknown }).version === 'string'
    ? (info as { version: string }).version
    : ''

const percentOf = (progress: unknown): number => {
  const p =
    typeof progress === 'object' && progress !== null ? (progress as { percent?: unknown }).percent : 0
  return typeof p === 'number' && Number.isFinite(p) ? Math.min(100, Math.max(0, Math.round(p))) : 0
}

export class AppUpdates {
  private current: AppUpdateState

  constructor(
    private readonly updater: UpdaterPort | null,
    private readonly opts: {
      /** Whether a call is up: restarting would cut it. */
      readonly inCall: () => boolean
      readonly changed: (state: AppUpdateState) => void
      readonly now?: () => Date
    }
  ) {
    this.current = updater ? { status: 'idle', checkedAt: null } : { status: 'unavailable' }
    if (!updater) return
    const at = () => (opts.now?.() ?? new Date()).toISOString()
    updater.on('checking-for-update', () => this.unlessReady({ status: 'checking' }))
    updater.on('update-not-available', () => this.unlessReady({ status: 'idle', checkedAt: at() }))
    updater.on('update-cancelled', () => this.unlessReady({ status: 'idle', checkedAt: at() }))
    updater.on('update-available', (info) =>
      this.unlessReady({ status: 'downloading', version: versionOf(info), percent: 0 })
    )
    updater.on('download-progress', (progress) => {
      const version = this.current.status === 'downloading' ? this.current.version : ''
      this.unlessReady({ status: 'downloading', version, percent: percentOf(progress) })
    })
    updater.on('update-downloaded', (info) => this.set({ status: 'ready', version: versionOf(info) }))
    updater.on('error', () => this.unlessReady({ status: 'failed', at: at() }))
  }

  state(): AppUpdateState {
    return this.current
  }

  /** Looks now, unless a look or a download is under way or one is ready; the state right after asking. */
  check(): AppUpdateState {
    const { status } = this.current
    if (!this.updater || status === 'checking' || status === 'downloading' || status === 'ready')
      return this.current
    // electron-updater says what happened through its events; a refusal before any event still fails the look.
    this.set({ status: 'checking' })
    this.updater.checkForUpdates().then(
      (result) => {
        // null and no event: electron-updater is inactive in this packaging (a Linux app not run as its AppImage,
        // a Snap), so this copy does not update itself.
        if (result === null && this.current.status === 'checking') this.set({ status: 'unavailable' })
      },
      () => {
        if (this.current.status === 'checking')
          this.set({ status: 'failed', at: (this.opts.now?.() ?? new Date()).toISOString() })
      }
    )
    return this.current
  }

  /** Restarts into the downloaded version: never before one is downloaded, never during a call. */
  install(): null {
    if (!this.updater || this.current.status !== 'ready')
      throw new DialtoneError('CONFLICT', 'no update is downloaded yet', [], 'update-not-ready')
    if (this.opts.inCall())
      throw new DialtoneError(
        'CONFLICT',
        'a call is in progress; restarting now would end it',
        [],
        'call-in-progress'
      )
    this.updater.quitAndInstall()
    return null
  }

  private unlessReady(next: AppUpdateState): void {
    if (this.current.status !== 'ready') this.set(next)
  }

  private set(next: AppUpdateState): void {
    // The look this module starts says 'checking' before electron-updater does: the window hears it once.
    if (JSON.stringify(next) === JSON.stringify(this.current)) return
    this.current = next
    this.opts.changed(next)
  }
}
