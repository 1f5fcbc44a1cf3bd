/**
 * Main's end of the media bridge: it knows which renderer MediaEngine carries the calls' media, sends it work as
 * `media.request` events addressed to it, and matches the engine's `media.reply` commands to the waiting
 * requests by id. One engine at a time (the newest window to attach); an engine that stops answering is
 * dropped, its pending work fails with a reason, and calls after that fall back to signalling-only media.
 */
import type { EngineReport, MediaOp, MediaReply, MediaRequest, MediaStatus } from '../../shared/ipc/media'
import type { EventBus } from '../ipc/event-bus'
import type { Logger } from '../log/logger'

export interface MediaBridgeOptions {
  readonly events: EventBus
  readonly log: Logger
  /** How long the engine may take for one request (getDescription includes ICE gathering). */
  readonly timeoutMs?: number
}

interface Pending {
  readonly engineId: string
  readonly resolve: (reply: MediaReply) => void
  readonly reject: (err: Error) => void
  readonly timer: NodeJS.Timeout
}

export type MediaArgs = Pick<MediaRequest, 'sdp' | 'hold' | 'iceGatheringTimeoutMs' | 'tones' | 'peers'>

export class MediaBridge {
  private engineId: string | null = null
  private lastReport: EngineReport | null = null
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private readonly detachListeners = new Set<() => void>()

  constructor(private readonly o: MediaBridgeOptions) {}

  get attached(): boolean {
    return this.engineId !== null
  }

  status(): MediaStatus {
    return { engineId: this.engineId, report: this.lastReport, pending: this.pending.size }
  }

  attach(engineId: string): MediaStatus {
    if (this.engineId !== engineId) {
      if (this.engineId) this.dropEngine('another window took over the calls’ audio')
      this.engineId = engineId
      this.lastReport = null
      // Debug: every page load attaches one, and at info it filled npm start's terminal past the address to open.
      this.o.log.debug({ engineId }, 'media engine attached')
    }
    return this.status()
  }

  detach(engineId: string): MediaStatus {
    if (this.engineId === engineId) this.dropEngine('the window carrying the calls’ audio closed')
    return this.status()
  }

  /** Called when the engine goes away, so calls using it can end cleanly. */
  onDetach(listener: () => void): () => void {
    this.detachListeners.add(listener)
    return () => this.detachListeners.delete(listener)
  }

  request(sdhId: string, op: MediaOp, args: MediaArgs = {}): Promise<MediaReply> {
    const engineId = this.engineId
    if (!engineId) return Promise.reject(new Error('no media engine is attached'))
    const requestId = this.nextId++
    return new Promise<MediaReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (!this.pending.delete(requestId)) return
        reject(new Error(`the media engine did not answer ${op} in time`))
        this.o.log.warn({ engineId, op }, 'media engine did not answer; dropping it')
        if (this.engineId === engineId) this.dropEngine('the media engine stopped answering')
      }, this.o.timeoutMs ?? 8000)
      this.pending.set(requestId, { engineId, resolve, reject, timer })
      this.o.events.emit('media.request', { engineId, requestId, sdhId, op, ...args })
    })
  }

  reply(r: MediaReply): null {
    const p = this.pending.get(r.requestId)
    if (!p || p.engineId !== r.engineId) {
      this.o.log.info({ requestId: r.requestId }, 'media reply for no pending request ignored')
      return null
    }
    this.pending.delete(r.requestId)
    clearTimeout(p.timer)
    if (r.ok) p.resolve(r)
    else p.reject(new Error(r.error ?? 'the media engine refused'))
    return null
  }

  report(r: EngineReport): null {
    if (r.engineId === this.engineId) this.lastReport = r
    return null
  }

  private dropEngine(reason: string): void {
    const gone = this.engineId
    this.engineId = null
    this.lastReport = null
    for (const [id, p] of this.pending) {
      if (p.engineId !== gone) continue
      this.pending.delete(id)
      clearTimeout(p.timer)
      p.reject(new Error(reason))
    }
    for (const listener of this.detachListeners) listener()
  }

  dispose(): void {
    if (this.engineId) this.dropEngine('Dialtone is closing')
  }
}
