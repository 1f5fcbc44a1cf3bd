/**
 * Message waiting (RFC 3842): subscribes to the line's own message-summary once it is registered, and reports
 * each NOTIFY's verdict (the line gives stutter dial tone; the dongle lights its message lamp). Kamailio passes
 * the subscription to the voicemail server; where there is none it answers 489, and the watch tries again
 * later rather than on every registration refresh.
 */
import { Subscriber, SubscriptionState, type UserAgent } from 'sip.js'
import { parseMessageSummary } from '../../shared/telephony/message-summary'

export interface VoicemailWatchOptions {
  readonly onWaiting: (waiting: boolean) => void
  readonly log: (message: string) => void
  /** How long a subscription lasts before sip.js refreshes it. */
  readonly expiresS?: number
  /** After a refused or ended subscription, try again this much later. */
  readonly retryMs?: number
}

export class VoicemailWatch {
  private subscriber: Subscriber | null = null
  private timer: NodeJS.Timeout | null = null
  private stopped = false

  constructor(private readonly o: VoicemailWatchOptions) {}

  /** (Re)subscribes through this UserAgent; a watch already running on it is kept. */
  start(ua: UserAgent): void {
    this.stopped = false
    if (this.subscriber) return
    const aor = ua.userAgentCore.configuration.aor
    const subscriber = new Subscriber(ua, aor, 'message-summary', { expires: this.o.expiresS ?? 3600 })
    this.subscriber = subscriber
    subscriber.delegate = {
      onNotify: (notification) => {
        void notification
          .accept()
          .catch((err: unknown) => this.o.log(`notification.accept failed: ${String(err)}`))
        const summary = parseMessageSummary(notification.request.body ?? '')
        if (summary) this.o.onWaiting(summary.waiting)
        else this.o.log('a message-summary NOTIFY without Messages-Waiting was ignored')
      }
    }
    subscriber.stateChange.addListener((state) => {
      if (state !== SubscriptionState.Terminated || this.subscriber !== subscriber) return
      this.subscriber = null
      if (this.stopped) return
      this.o.log('the message-waiting subscription ended; trying again later')
      this.timer = setTimeout(() => this.start(ua), this.o.retryMs ?? 3_600_000)
      this.timer.unref?.()
    })
    void subscriber.subscribe().catch((err: unknown) => this.o.log(`SUBSCRIBE failed: ${String(err)}`))
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const s = this.subscriber
    this.subscriber = null
    if (s) await s.dispose().catch(() => undefined)
  }
}
