/**
 * Call waiting, three-way calling and call transfer on the Phone page (issue 23 items 4 and 5), for the person at
 * the computer: what the hook flash did (a call waiting, the second dial tone, the conference), a "Join" for the
 * three-way call, and transfer: blind (a number, then REFER) or attended (consult the new party first: the first
 * call waits on hold; then "Transfer" joins the two and this line leaves, REFER with Replaces); and, while this line
 * follows a transfer the other party asked of it, who transfers it where and that they wait on hold (or, the new
 * call refused, that the transfer did not go through and how to go back to them). Numbers are isolated for
 * right-to-left pages; how a transfer ended comes back as a code worded here.
 */
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { isolate } from '../../../../shared/i18n/bidi'
import type { CallState } from '../../../../shared/ipc/phone'
import { dialable } from '../../../../shared/telephony/dial-plan'
import type { TransferOutcome } from '../../../../shared/telephony/transfer'
import { useDialtone } from '../../bridge/dialtone-context'
import { who } from './CallPanel'
import { usePhoneNumbers } from '../../phone-numbers'
import { limit } from '../../limits'
import { PhoneInput } from '../PhoneField'

export function CallTransfer({ state }: { state: CallState }): React.JSX.Element | null {
  const { t } = useTranslation()
  const phone = usePhoneNumbers()
  const client = useDialtone()
  const [number, setNumber] = useState('')
  const [busy, setBusy] = useState(false)
  const [outcome, setOutcome] = useState<TransferOutcome | null>(null)
  const name = (remote: string): string => isolate(who(remote, t, phone))

  const transfer = async (to?: string): Promise<void> => {
    setBusy(true)
    setOutcome(null)
    try {
      const r = await client.invoke('phone.transfer', to === undefined ? {} : { number: to })
      setOutcome(r.outcome)
      if (r.outcome === 'transferred') setNumber('')
    } catch {
      setOutcome('badNumber')
    } finally {
      setBusy(false)
    }
  }
  const onSubmit = (e: FormEvent): void => {
    e.preventDefault()
    if (dialable(number) === '') return setOutcome('badNumber')
    transfer(dialable(number)).catch(() => undefined)
  }

  const connected = state.phase === 'connected' && state.call !== null
  const consulting = connected && state.threeWay === true && !state.conference && state.other?.held === true
  const waitingCall = state.phase === 'callWaiting' && state.other && !state.other.held
  const result = outcome && (
    <p role="status" data-testid="transfer-outcome" data-outcome={outcome}>
      {t(`transfer.outcome.${outcome}`)}
    </p>
  )
  if (!connected && !waitingCall && !state.threeWay)
    return result ? <div className="card">{result}</div> : null

  return (
    <div className="card" data-testid="call-transfer">
      {waitingCall && state.other && (
        <p data-testid="call-waiting">{t('callWaiting.incoming', { remote: name(state.other.remote) })}</p>
      )}
      {state.threeWay &&
        !state.conference &&
        state.other &&
        (state.other.transferring ? (
          <p data-testid="transfer-followed" data-failed={state.call ? undefined : 'true'}>
            {state.call
              ? t('transfer.followed', { held: name(state.other.remote), target: name(state.call.remote) })
              : t('transfer.followedFailed', { held: name(state.other.remote) })}
          </p>
        ) : (
          <p data-testid="three-way">
            {t(connected ? 'threeWay.readyToJoin' : 'threeWay.secondDialTone', {
              held: name(state.other.remote)
            })}
          </p>
        ))}
      {state.conference && state.call && state.other && (
        <p data-testid="conference">
          {t('threeWay.conference', { first: name(state.other.remote), second: name(state.call.remote) })}
        </p>
      )}
      {consulting && (
        <div className="actions">
          <button type="button" onClick={() => void client.invoke('phone.flash').catch(() => undefined)}>
            {t('threeWay.join')}
          </button>
          <button
            type="button"
            disabled={busy}
            data-testid="transfer-attended"
            onClick={() => transfer().catch(() => undefined)}
          >
            {t('transfer.attended', {
              held: name(state.other?.remote ?? ''),
              consult: name(state.call?.remote ?? '')
            })}
          </button>
        </div>
      )}
      {connected && !state.threeWay && !state.conference && (
        <form onSubmit={onSubmit} aria-labelledby="transfer-title">
          <h3 id="transfer-title">{t('transfer.title')}</h3>
          <label className="field">
            {t('transfer.number')}
            <PhoneInput
              value={number}
              codes
              inputMode="tel"
              autoComplete="off"
              maxLength={limit('phone.transfer', 'number')}
              data-testid="transfer-number"
              onChange={setNumber}
            />
          </label>
          <div className="actions">
            <button type="submit" disabled={busy} data-testid="transfer-blind">
              {t('transfer.blind')}
            </button>
            <button
              type="button"
              disabled={busy}
              data-testid="transfer-consult"
              onClick={() => void client.invoke('phone.flash').catch(() => undefined)}
            >
              {t('transfer.consult')}
            </button>
          </div>
          <p className="muted">{t('transfer.consultHint')}</p>
        </form>
      )}
      {result}
    </div>
  )
}
