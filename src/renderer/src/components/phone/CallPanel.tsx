/**
 * The call in progress, as the phone sees it: what the line is doing, with whom, and the controls that make
 * sense now (answer while it rings, hang up while off hook, mute during a call, switch when a second call
 * waits), plus do-not-disturb. Each control does what the handset would, through the same state machine.
 */
import { useTranslation } from 'react-i18next'
import type { CallState } from '../../../../shared/ipc/phone'
import { ADDRESS_TEST_NUMBER } from '../../../../shared/telephony/dial-plan'
import { useDialtone } from '../../bridge/dialtone-context'
import { AddressOnRecord } from './AddressOnRecord'
import { CallReason, hasRemedy } from './CallFailureRemedy'
import { RoleProvider } from '../business/role'
import { usePhoneNumbers } from '../../phone-numbers'

const IN_CALL = new Set<CallState['phase']>(['connected', 'callWaiting'])

/** Phases that say the line is ready; while the SIP line is down they would not be true. */
const NEEDS_LINE = new Set<CallState['phase']>(['idle', 'dialTone'])

export function CallPanel({
  state,
  lineUp,
  number = null
}: {
  state: CallState
  lineUp: boolean
  /** The line's own number (to find its 911 address for the 933 test). */
  number?: string | null
}): React.JSX.Element {
  const { t } = useTranslation()
  const phone = usePhoneNumbers()
  const client = useDialtone()
  const remote = state.call ? who(state.call.remote, t, phone) : null
  const act = (p: Promise<unknown>): void => void p.catch(() => undefined)
  return (
    <div className={`card call-panel phase-${state.phase}`} data-testid="call-panel">
      {/* The phase and who is calling are read together: "Incoming call", then from whom. */}
      <div aria-live="polite" aria-atomic="true">
        <h2 data-testid="call-phase" data-phase={state.phase}>
          {!lineUp && NEEDS_LINE.has(state.phase)
            ? t('phone.phase.lineDown')
            : t(`phone.phase.${state.phase}`, { digits: state.digits })}
        </h2>
        {remote && (
          <p className="call-remote" data-testid="call-remote">
            {t(state.call?.direction === 'in' ? 'phone.from' : 'phone.to', { remote })}
          </p>
        )}
      </div>
      {state.call?.referredBy && (
        <p className="muted" data-testid="call-referred-by">
          {t('phone.transferredBy', { remote: who(state.call.referredBy, t, phone) })}
        </p>
      )}
      {state.call?.direction === 'out' && state.call.remote === ADDRESS_TEST_NUMBER && (
        <AddressOnRecord number={number} />
      )}
      {state.other && (
        <p className="muted" data-testid="call-other">
          {t(state.other.held ? 'phone.onHold' : 'phone.waiting', {
            remote: who(state.other.remote, t, phone)
          })}
        </p>
      )}
      {state.why && (state.phase === 'reorder' || state.phase === 'idle') && (
        <p className="muted" data-testid="call-reason" data-why={state.why}>
          {hasRemedy(state.why) ? (
            <RoleProvider>
              <CallReason why={state.why} />
            </RoleProvider>
          ) : (
            <CallReason why={state.why} />
          )}
        </p>
      )}
      {state.voicemailWaiting && (
        <p className="chip" data-testid="voicemail">
          {t('phone.voicemail')}
        </p>
      )}
      <div className="call-controls">
        {state.phase === 'ringing' && (
          <button type="button" data-testid="call-answer" onClick={() => act(client.invoke('phone.answer'))}>
            {t('phone.answer')}
          </button>
        )}
        {state.offHook && (
          <button
            type="button"
            className="danger"
            data-testid="call-hangup"
            onClick={() => act(client.invoke('phone.hangup'))}
          >
            {t('phone.hangUp')}
          </button>
        )}
        {IN_CALL.has(state.phase) && (
          <button
            type="button"
            className="secondary"
            aria-pressed={state.muted}
            data-testid="call-mute"
            onClick={() => act(client.invoke('phone.mute', { on: !state.muted }))}
          >
            {state.muted ? t('phone.unmute') : t('phone.mute')}
          </button>
        )}
        {(state.other || state.phase === 'callWaiting') && (
          <button
            type="button"
            className="secondary"
            data-testid="call-flash"
            onClick={() => act(client.invoke('phone.flash'))}
          >
            {t('phone.flash')}
          </button>
        )}
      </div>
      <label className="inline">
        <input
          type="checkbox"
          checked={state.doNotDisturb}
          data-testid="call-dnd"
          onChange={(e) => act(client.invoke('phone.doNotDisturb', { on: e.target.checked }))}
        />
        {t('phone.dnd')}
      </label>
      {state.doNotDisturb && <p className="muted">{t('phone.dndOn')}</p>}
    </div>
  )
}

/**
 * Who is on the line: the number as people read it (usePhoneNumbers), or "private" in words (isolated where it
 * is shown, like every value).
 */
export function who(remote: string, t: (k: string) => string, phone: (n: string) => string): string {
  return remote === 'private' ? t('phone.private') : phone(remote)
}
