/**
 * The phone's owner in main: follows the account session, picks the line to register (the first in service),
 * fetches its SIP credentials from the service, runs the SipLine and reports its status over the contract
 * (phone.status, phone.statusChanged). Signing out stops the line; a sleep/resume or a network change calls
 * kick() so the line re-registers at once instead of waiting for its back-off.
 */
import type { LineStatus } from '../../shared/ipc/phone'
import type { AccountService } from '../account/account-service'
import type { EventBus } from '../ipc/event-bus'
import type { Logger } from '../log/logger'
import { type BackoffOptions, SipLine } from './sip-line'

const UNCONFIGURED: LineStatus = { state: 'unconfigured', number: null, reason: null }

export class PhoneService {
  private line: SipLine | null = null
  private lineId: string | null = null
  private current: LineStatus = UNCONFIGURED
  private refreshing: Promise<void> = Promise.resolve()
  private unsubscribe: (() => void) | null = null

  constructor(
    private readonly account: AccountService,
    private readonly events: EventBus,
    private readonly log: Logger,
    private readonly backoff?: BackoffOptions
  ) {}

  get status(): LineStatus {
    return this.current
  }

  private report(status: LineStatus): void {
    this.current = status
    this.events.emit('phone.statusChanged', status)
  }

  start(): void {
    this.unsubscribe = this.events.subscribe((name) => {
      if (name === 'account.sessionChanged') void this.refresh()
    })
    void this.refresh()
  }

  /** Re-reads the account's lines and (re)starts the right one; serialised so changes cannot interleave. */
  refresh(): Promise<void> {
    this.refreshing = this.refreshing
      .then(() => this.doRefresh())
      .catch((err: unknown) => {
        this.log.warn({ err }, 'phone refresh failed')
      })
    return this.refreshing
  }

  private async doRefresh(): Promise<void> {
    if (!this.account.state().signedIn) {
      await this.stopLine()
      if (this.current.state !== 'unconfigured') this.report(UNCONFIGURED)
      return
    }
    let lineId: string | null
    try {
      const { lines } = await this.account.call('lines', undefined)
      lineId = lines.find((l) => l.status === 'in_service')?.id ?? null
    } catch (err) {
      this.report({
        state: 'unregistered',
        number: null,
        reason: `the account service did not answer (${(err as Error).message})`
      })
      return
    }
    if (lineId === this.lineId && this.line) return
    await this.stopLine()
    if (!lineId) {
      this.report(UNCONFIGURED)
      return
    }
    this.lineId = lineId
    const id = lineId
    this.line = new SipLine({
      credentials: async () => {
        const c = await this.account.sipCredentials(id)
        return { ...c, number: `+${c.username}` }
      },
      onStatus: (s) => this.report(s),
      backoff: this.backoff,
      log: (m) => this.log.info(m)
    })
    await this.line.start()
  }

  private async stopLine(): Promise<void> {
    const line = this.line
    this.line = null
    this.lineId = null
    await line?.stop()
  }

  /** Network back or the computer woke up: retry now. */
  kick(): void {
    this.line?.kick()
  }

  async dispose(): Promise<void> {
    this.unsubscribe?.()
    await this.refreshing
    await this.stopLine()
  }
}
