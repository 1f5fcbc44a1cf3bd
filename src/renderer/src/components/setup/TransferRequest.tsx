/**
 * The activation step for a dongle that is on someone else's account (bought second-hand, given away): instead
 * of a dead end, the new owner asks its owner to hand it over. Signed out, they sign in to their own account
 * first; signed in, they choose the area code of the new line and accept the terms and 911 disclosure, main has
 * the plugged-in dongle prove itself (account.requestTransfer), and the service emails the owner a code. The
 * request's state stays on screen (waiting for the owner until when, expired, refused — then ask again) and is
 * asked again every few seconds; once the owner approves, the dongle is ours and the activation goes on to the
 * new line's own 911 address (Activation.tsx's LineNeeds).
 */
import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { isolate } from '../../../../shared/i18n/bidi'
import { useAction, useDialtone, useEvent, useQuery } from '../../bridge/dialtone-context'
import { logFailure } from '../../log'
import { SignIn } from '../account/SignIn'
import { transferState } from '../account/Transfers'
import { FormError } from '../Field'
import { useAreaCodeCheck } from './AreaCode'
import type { ContactDraft } from './contact-draft'
import { ContactFields, useAcceptances } from './ContactFields'

/** How often a waiting request is asked about (the owner approves from their own computer). */
const POLL_MS = 10_000

interface Props {
  serial: string
  model: string
  contact: ContactDraft
  setContact: (c: ContactDraft) => void
  signedIn: boolean
  /** The dongle's ownership or the session may have changed: look again. */
  onChange: () => void
}

export function TransferRequest(props: Props): React.JSX.Element {
  const { t } = useTranslation()
  const { onChange } = props
  useEvent(
    'account.sessionChanged',
    useCallback(() => onChange(), [onChange])
  )
  return (
    <div className="activation" data-testid="transfer-request">
      <p className="note">{t('transferRequest.owned')}</p>
      {props.signedIn ? (
        <Request {...props} />
      ) : (
        <>
          <p data-testid="transfer-sign-in-first">{t('transferRequest.signInFirst')}</p>
          <SignIn />
        </>
      )}
    </div>
  )
}

function Request({ serial, model, contact, setContact, onChange }: Props): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const client = useDialtone()
  const transfers = useQuery('account.transfers')
  const { refresh } = transfers
  // The newest request we made for this dongle (the service lists the newest first).
  const mine = transfers.data?.transfers.find((x) => x.direction === 'incoming' && x.deviceSerial === serial)
  const [askingAgain, setAskingAgain] = useState(false)
  const acceptances = useAcceptances(contact)
  const area = useAreaCodeCheck(contact.areaCode)
  const ask = useAction(() =>
    client.invoke('account.requestTransfer', { serial, model, areaCode: contact.areaCode, acceptances })
  )
  const status = mine?.status
  useEffect(() => {
    if (status !== 'pending') return
    const timer = setInterval(refresh, POLL_MS)
    return () => clearInterval(timer)
  }, [status, refresh])
  // Handed over: the dongle is ours now, so the activation moves on to what the new line needs.
  useEffect(() => {
    if (status === 'completed' || status === 'approved') onChange()
  }, [status, onChange])

  const check = (
    <button
      type="button"
      className="secondary"
      data-testid="transfer-request-check"
      onClick={() => {
        refresh()
        onChange()
      }}
    >
      {t('transferRequest.check')}
    </button>
  )
  // Not knowing whether we already asked (the list could not be had just now), we offer to look again rather
  // than a form that might ask twice.
  if (!transfers.data)
    return transfers.error ? (
      <div data-testid="transfer-request-state" data-status="unknown">
        <FormError error={transfers.error} testId="transfer-request-list-error" />
        {check}
      </div>
    ) : (
      <p className="muted">{t('status.checking')}</p>
    )
  if (mine && !askingAgain)
    return (
      <div data-testid="transfer-request-state" data-status={mine.status}>
        <p role="status" className={mine.status === 'pending' ? 'note' : 'banner warn'}>
          {transferState(t, mine, i18n.language)}
        </p>
        {mine.status === 'pending' && <p className="muted">{t('transferRequest.whatNext')}</p>}
        {/* What the owner checks before approving: several people may ask for one dongle (Transfers.tsx). */}
        {mine.status === 'pending' && (
          <p data-testid="transfer-your-reference">
            {t('transfers.yourReference', { reference: isolate(mine.reference) })}
          </p>
        )}
        {mine.status === 'pending' ? (
          check
        ) : (
          <button type="button" data-testid="transfer-request-again" onClick={() => setAskingAgain(true)}>
            {t('transferRequest.again')}
          </button>
        )}
      </div>
    )
  return (
    <form
      noValidate
      className="form"
      data-testid="transfer-request-form"
      onSubmit={(e) => {
        e.preventDefault()
        if (ask.pending) return
        // The area code again, right before anything is sent: no request for a line that cannot get a number.
        void area
          .confirm()
          .then(async (free) => {
            if (!free) return
            const r = await ask.run()
            if (!r) return
            setAskingAgain(false)
            refresh()
          })
          .catch(logFailure('TransferRequest: area.confirm'))
      }}
    >
      <h3>{t('transferRequest.title', { serial: isolate(serial) })}</h3>
      <p>{t('transferRequest.how')}</p>
      <p className="muted">{t('transferRequest.newLine')}</p>
      <ContactFields c={contact} set={setContact} error={ask.error} area={area} account={false} />
      <FormError error={ask.error} testId="transfer-request-error" />
      <button type="submit" aria-disabled={ask.pending} data-testid="transfer-request-submit">
        {t('transferRequest.submit')}
      </button>
    </form>
  )
}
