/**
 * The signed-in account, as main holds it: the session token (in the SecretVault, never in the renderer or a
 * log), the calls that need it, and the session's life. A token the service no longer accepts is forgotten
 * at once and the renderer told (account.sessionChanged); a token from another service URL is not sent.
 * Service failures become DialtoneErrors with the service's code, reason and field issues, so a screen can
 * say exactly what was wrong.
 */
import { type SessionResponse, identifierKey } from '../../shared/api/identity'
import type { RouteInput, RouteName, RouteOutput } from '../../shared/api/routes'
import type { ActivationOutcome, SessionState } from '../../shared/ipc/account'
import { DialtoneError, type ErrorCode } from '../../shared/ipc/errors'
import type { EventBus } from '../ipc/event-bus'
import type { Logger } from '../log/logger'
import type { SecretVault } from '../store/secret-vault'
import { ServiceCallError, type ServiceClient, type ServiceFailure } from './service-client'

const VAULT_KEY = 'account.session'
/**
 * The device tokens earlier sign-ins gave this app, per service and identifier: with one, the service throttles
 * this app's sign-in attempts on their own, so someone hammering the same email elsewhere does not lock it out.
 */
const DEVICE_TOKENS_KEY = 'account.deviceTokens'

interface StoredSession {
  readonly serviceUrl: string
  readonly token: string
  readonly sessionId: string
  readonly accountId: string
  readonly expiresAt: string
}

const CODE_FOR: Record<ServiceFailure, ErrorCode> = {
  'invalid-input': 'INVALID_ARGUMENT',
  'payload-too-large': 'INVALID_ARGUMENT',
  unauthenticated: 'UNAUTHENTICATED',
  'payment-required': 'PAYMENT_FAILED',
  forbidden: 'FORBIDDEN',
  'not-found': 'NOT_FOUND',
  conflict: 'CONFLICT',
  gone: 'EXPIRED',
  'rate-limited': 'RATE_LIMITED',
  unavailable: 'UNAVAILABLE',
  unreachable: 'UNAVAILABLE',
  timeout: 'TIMEOUT',
  'unsupported-media-type': 'INTERNAL',
  'bad-response': 'INTERNAL',
  internal: 'INTERNAL'
}

/** A service failure as the renderer gets it. */
export function toDialtoneError(err: ServiceCallError, serviceUrl: string): DialtoneError {
  const { failure } = err
  const message =
    failure === 'unreachable'
      ? `The account service at ${serviceUrl} cannot be reached (${err.message}).`
      : failure === 'timeout'
        ? `The account service at ${serviceUrl} did not answer (${err.message}).`
        : err.message
  return new DialtoneError(
    CODE_FOR[failure],
    message,
    err.options.issues ?? [],
    failure === 'unreachable' || failure === 'timeout' || failure === 'bad-response'
      ? failure
      : (err.options.reason ?? failure),
    err.options.params
  )
}

export interface AccountServiceOptions {
  readonly client: ServiceClient
  readonly vault: SecretVault
  readonly serviceUrl: () => string
  readonly events: EventBus
  readonly log: Logger
  /** How this app names itself in the account's session list, e.g. "Dialtone 0.1.0 (linux)". */
  readonly clientName: string
}

export class AccountService {
  constructor(private readonly o: AccountServiceOptions) {}

  /** The stored session, if it belongs to the service the app talks to now. */
  private stored(): StoredSession | null {
    const raw = this.o.vault.read(VAULT_KEY)
    if (raw === null) return null
    try {
      const s = JSON.parse(raw) as StoredSession
      if (typeof s.token !== 'string' || s.serviceUrl !== this.o.serviceUrl()) return null
      if (Date.parse(s.expiresAt) <= Date.now()) return null
      return s
    } catch {
      return null
    }
  }

  /**
   * The account whose session the vault holds for this service, expired or not: whose this computer was last (the
   * call history's upgrade gives an older app's calls to it). Null when none was ever stored or it is unreadable.
   */
  lastAccountId(): string | null {
    const raw = this.o.vault.read(VAULT_KEY)
    if (raw === null) return null
    try {
      const s = JSON.parse(raw) as StoredSession
      return s.serviceUrl === this.o.serviceUrl() && typeof s.accountId === 'string' ? s.accountId : null
    } catch {
      return null
    }
  }

  state(): SessionState {
    const s = this.stored()
    return {
      signedIn: s !== null,
      accountId: s?.accountId ?? null,
      expiresAt: s?.expiresAt ?? null,
      serviceUrl: this.o.serviceUrl(),
      protection: this.o.vault.protection
    }
  }

  private adopt(
    session: SessionResponse | { token: string; sessionId: string; expiresAt: string },
    accountId: string
  ): SessionState {
    const stored: StoredSession = {
      serviceUrl: this.o.serviceUrl(),
      token: session.token,
      sessionId: session.sessionId,
      accountId,
      expiresAt: session.expiresAt
    }
    this.o.vault.write(VAULT_KEY, JSON.stringify(stored))
    return this.changed()
  }

  private forget(): SessionState {
    this.o.vault.delete(VAULT_KEY)
    return this.changed()
  }

  private changed(): SessionState {
    const state = this.state()
    this.o.events.emit('account.sessionChanged', state)
    return state
  }

  /** Calls a route with this app's session; forgets the session when the service says it is over. */
  async call<N extends RouteName>(
    name: N,
    input: RouteInput<N>,
    options: { readonly signal?: AbortSignal } = {}
  ): Promise<RouteOutput<N>> {
    const session = this.stored()
    const url = this.o.serviceUrl()
    try {
      return await this.o.client.call(url, name, input, { token: session?.token ?? null, ...options })
    } catch (err) {
      if (!(err instanceof ServiceCallError)) throw err
      if (err.failure === 'unauthenticated' && session !== null) {
        this.o.log.info({ route: name }, 'the service ended this session; signed out here')
        this.forget()
      }
      throw toDialtoneError(err, url)
    }
  }

  async signIn(identifier: string, password: string): Promise<SessionState> {
    const tokens = this.deviceTokens()
    const slot = `${this.o.serviceUrl()} ${identifierKey(identifier)}`
    const deviceToken = tokens[slot]
    const session = await this.call('signIn', {
      identifier,
      password,
      client: this.o.clientName,
      ...(deviceToken ? { deviceToken } : {})
    })
    this.o.vault.write(DEVICE_TOKENS_KEY, JSON.stringify({ ...tokens, [slot]: session.deviceToken }))
    this.o.log.info({ accountId: session.accountId }, 'signed in')
    return this.adopt(session, session.accountId)
  }

  private deviceTokens(): Record<string, string> {
    try {
      const parsed: unknown = JSON.parse(this.o.vault.read(DEVICE_TOKENS_KEY) ?? '{}')
      if (typeof parsed !== 'object' || parsed === null) return {}
      return Object.fromEntries(
        Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string')
      )
    } catch {
      return {}
    }
  }

  async finishPhoneSignup(input: Omit<RouteInput<'finishPhoneSignup'>, 'client'>): Promise<SessionState> {
    const session = await this.call('finishPhoneSignup', { ...input, client: this.o.clientName })
    return this.adopt(session, session.accountId)
  }

  /** Ends the session at the service when it can; here it is forgotten whatever the service says. */
  async signOut(): Promise<SessionState> {
    if (this.stored() !== null) {
      try {
        await this.call('signOut', undefined)
      } catch (err) {
        this.o.log.warn(
          { code: err instanceof DialtoneError ? err.code : 'error' },
          'sign-out not confirmed by the service'
        )
      }
    }
    return this.forget()
  }

  async activate(
    route: 'activateTrial' | 'activatePurchased',
    input: RouteInput<'activateTrial'> | RouteInput<'activatePurchased'>
  ): Promise<ActivationOutcome> {
    // Named like a sign-in's session, so the account's session list says which app holds it.
    const result = await this.call(route, { ...input, client: this.o.clientName } as never)
    const { session, ...rest } = result as RouteOutput<'activateTrial'>
    if (session !== null) this.adopt(session, rest.accountId)
    return { ...rest, signedIn: this.stored()?.accountId === rest.accountId }
  }

  /** The line's SIP credentials, for the phone in main; never sent to the renderer. */
  sipCredentials(lineId: string): Promise<RouteOutput<'sipCredentials'>> {
    return this.call('sipCredentials', { lineId })
  }
}
