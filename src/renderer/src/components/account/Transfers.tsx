/**
 * The overview's "Dongle transfers" card: every second-hand handover this account is part of, both sides — a
 * dongle of ours someone asked for (approved here with the code the service emailed, under the heading the
 * email names: "Approve a device transfer") and a dongle we asked for — each with its state: waiting (until
 * when), handed over, refused, expired. What approving does is said before the code is asked for, with the
 * request's reference and the asker's name: several people may ask for one dongle, and the reference (which the
 * asker sees on their side) is what tells the owner which is the person they handed it to. A request past the
 * dongle's day's emails came with no code: the owner has it emailed here, as they may a new one for a lost email.
 */
import { useCallback, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ResponseOf } from '../../../../shared/ipc/contract'
import { isolate } from '../../../../shared/i18n/bidi'
import { useAction, useDialtone, useEvent, useQuery } from '../../bridge/dialtone-context'
import { formatInstant } from '../../format'
import { limit } from '../../limits'
import { logFailure } from '../../log'
import { Field, FormError, issueFor } from '../Field'

export type Transfer = ResponseOf<'account.transfers'>['transfers'][number]

/** The sentence for a transfer's state, from its side: "waiting for you" and "waiting for its owner" differ. */
export function transferState(
  t: (k: string, o?: Record<string, string>) => string,
  x: Transfer,
  lang: string
) {
  const date = (iso: string | null): string => isolate(formatInstant(iso ?? x.expiresAt, lang))
  switch (x.status) {
    case 'pending':
      // The asker of a request past the dongle's day's emails asks the owner to have the code sent from the app.
      return t(
        `transfers.state.pending-${x.direction}${x.direction === 'incoming' && !x.codeSent ? '-unsent' : ''}`,
        { date: date(x.expiresAt) }
      )
    case 'expired':
      return t('transfers.state.expired', { date: date(x.expiresAt) })
    case 'declined':
      return t('transfers.state.declined', { date: date(x.decidedAt) })
    default:
      return t('transfers.state.completed', { date: date(x.decidedAt) })
  }
}

export function Transfers(): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const list = useQuery('account.transfers')
  const { refresh } = list
  useEvent(
    'account.linesChanged',
    useCallback(() => refresh(), [refresh])
  )
  const transfers = list.data?.transfers ?? []
  const waiting = transfers.filter((x) => x.status === 'pending' && x.direction === 'outgoing').length
  return (
    <section className="card" aria-labelledby="transfers-title" data-testid="transfers">
      <h2 id="transfers-title">{t('transfers.title')}</h2>
      <FormError error={list.error} testId="transfers-error" />
      {list.data && transfers.length === 0 && <p className="muted">{t('transfers.none')}</p>}
      <ul className="plain-list">
        {transfers.map((x) => (
          <li key={x.id} data-testid="transfer-row" data-status={x.status} data-direction={x.direction}>
            <p>
              <strong>{t(`transfers.${x.direction}`, { serial: isolate(x.deviceSerial) })}</strong>{' '}
              <span className={`chip transfer-${x.status}`} data-testid="transfer-status">
                {t(`transfers.chip.${x.status}`)}
              </span>
            </p>
            <p className="muted" data-testid="transfer-state">
              {transferState(t, x, i18n.language)}
            </p>
            {/* The asker tells the owner their reference, so the owner approves theirs (several may ask). */}
            {x.status === 'pending' && x.direction === 'incoming' && (
              <p data-testid="transfer-your-reference">
                {t('transfers.yourReference', { reference: isolate(x.reference) })}
              </p>
            )}
            {x.status === 'pending' && x.direction === 'outgoing' && (
              // Several people may ask for one dongle (strangers who read its serial among them): each request
              // folded to its line, the one its owner means opened by its reference; a lone one shown open.
              <details open={waiting === 1} data-testid="transfer-approve-details">
                <summary>{t('transfers.approveOpen', { reference: isolate(x.reference) })}</summary>
                <ApproveForm transfer={x} onDone={refresh} />
              </details>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}

function ApproveForm({ transfer, onDone }: { transfer: Transfer; onDone: () => void }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const client = useDialtone()
  const [token, setToken] = useState('')
  const approve = useAction(() =>
    client.invoke('account.approveTransfer', { transferId: transfer.id, token: token.trim() })
  )
  const fieldIssue = issueFor(approve.error, 'token')
  return (
    <form
      noValidate
      className="form"
      data-testid="transfer-approve-form"
      aria-labelledby={`approve-${transfer.id}`}
      onSubmit={(ev) => {
        ev.preventDefault()
        void approve
          .run()
          // Refused (wrong code, expired): the refusal stays beside the field with the code as typed.
          .then((r) => r && onDone())
          .catch(logFailure('Transfers: approve.run'))
      }}
    >
      <h3 id={`approve-${transfer.id}`}>{t('transfers.approveTitle')}</h3>
      <p>{t('transfers.approveWhat', { serial: isolate(transfer.deviceSerial) })}</p>
      <p data-testid="transfer-asked-by">
        <strong>{t('transfers.reference', { reference: isolate(transfer.reference) })}</strong>{' '}
        {t('transfers.askedBy', {
          name: isolate(transfer.askedBy ?? ''),
          reference: isolate(transfer.reference)
        })}
      </p>
      <p className="muted">
        {t('transfers.ifNotYou', { date: isolate(formatInstant(transfer.expiresAt, i18n.language)) })}
      </p>
      <SendCode transfer={transfer} />
      <Field
        label={t('transfers.code')}
        value={token}
        onChange={setToken}
        testId="transfer-code"
        latinDigits
        maxLength={limit('account.approveTransfer', 'token')}
        autoComplete="one-time-code"
        dir="ltr"
        spellCheck={false}
        required
        error={fieldIssue}
      />
      {!fieldIssue && <FormError error={approve.error} testId="transfer-approve-error" />}
      <button type="submit" aria-disabled={approve.pending} data-testid="transfer-approve">
        {t('transfers.approve')}
      </button>
    </form>
  )
}

/**
 * Whether the code was emailed for this request, and a button to have it emailed (a new code: the one sent before
 * stops working). Past the dongle's day's emails none was sent, which is said first: otherwise the owner waits
 * for an email that never comes.
 */
function SendCode({ transfer }: { transfer: Transfer }): React.JSX.Element {
  const { t } = useTranslation()
  const client = useDialtone()
  const send = useAction(() => client.invoke('account.sendTransferCode', { transferId: transfer.id }))
  const sent = transfer.codeSent || send.data !== undefined
  return (
    <div data-testid="transfer-code-state" data-sent={sent}>
      {send.data ? (
        <p role="status" className="note" data-testid="transfer-code-resent">
          {t('transfers.codeResent')}
        </p>
      ) : (
        <p className={sent ? 'muted' : 'note'}>{t(sent ? 'transfers.codeSent' : 'transfers.codeNotSent')}</p>
      )}
      <FormError error={send.error} testId="transfer-send-code-error" />
      <button
        type="button"
        className="secondary"
        aria-disabled={send.pending}
        data-testid="transfer-send-code"
        onClick={() => void send.run().catch(logFailure('Transfers: send.run'))}
      >
        {t(sent ? 'transfers.sendNewCode' : 'transfers.sendCode')}
      </button>
    </div>
  )
}
