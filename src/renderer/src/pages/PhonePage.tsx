/**
 * Phone: the line's status (and a way to reconnect), the call in progress with its controls, the dialpad, and
 * recent calls, and the numbers that never ring. The calls are what the analog phone can do too; the screen is a
 * second handset. What belongs to an account (its recent calls, voicemail, blocked numbers, forwarding) is the
 * signed-in account's only, and follows main's session events: a sign-out or another person's sign-in anywhere
 * takes the last person's off this page at once.
 */
import { useTranslation } from 'react-i18next'
import { useSession } from '../session'
import { RoleProvider } from '../components/business/role'
import { BlockedNumbers } from '../components/phone/BlockedNumbers'
import { CallForwarding } from '../components/phone/CallForwarding'
import { CallHistory } from '../components/phone/CallHistory'
import { RefusedCalls } from '../components/phone/RefusedCalls'
import { CallPanel } from '../components/phone/CallPanel'
import { CallTransfer } from '../components/phone/CallTransfer'
import { StarCodeNote } from '../components/phone/StarCodeNote'
import { Dialpad } from '../components/phone/Dialpad'
import { LineProblem } from '../components/phone/LineProblem'
import { useCallState, useLineStatus } from '../components/phone/use-call-state'
import { Voicemail } from '../components/voicemail/Voicemail'
import { usePhoneNumbers } from '../phone-numbers'
import { DEVICE, RENEW } from '../remedies'
import { useQuery } from '../bridge/dialtone-context'
import { FormError } from '../components/Field'

export function PhonePage({ dialNumber }: { dialNumber?: string }): React.JSX.Element {
  const { t } = useTranslation()
  const phone = usePhoneNumbers()
  const status = useLineStatus()
  const call = useCallState()
  const line = status.data
  const session = useSession()
  const signedIn = session.data?.signedIn === true
  // Mounted anew for each account (keyed), so nothing of the last one's list survives into the next one's.
  const owner = session.data ? (signedIn ? (session.data.accountId ?? null) : null) : undefined
  return (
    <section aria-labelledby="phone-title">
      <header className="page-head">
        <h1 id="phone-title">{t('phone.title')}</h1>
      </header>
      <div className="card">
        <h2 data-testid="phone-state">{line ? t(`status.line.${line.state}`) : t('status.checking')}</h2>
        {line?.number && (
          <p data-testid="phone-number">{t('phone.yourNumber', { number: phone(line.number) })}</p>
        )}
        {line?.state === 'unconfigured' && session.data && <NoLine signedIn={signedIn} />}
        <StarCodeNote />
        {line?.problem &&
          (line.state !== 'registered' ||
            line.problem === 'serviceLapsed' ||
            line.problem === 'serviceSuspended' ||
            line.problem === 'addressMissing') && (
            <RoleProvider>
              <LineProblem status={line} />
            </RoleProvider>
          )}
      </div>
      {call.data && line?.state !== 'unconfigured' && (
        <div className="phone-grid">
          <CallPanel state={call.data} lineUp={line?.state === 'registered'} number={line?.number ?? null} />
          <Dialpad state={call.data} initial={dialNumber} />
        </div>
      )}
      {call.data && signedIn && <CallTransfer state={call.data} />}
      {call.data && owner !== undefined && (
        <CallHistory
          key={owner === null ? 'none' : `account:${owner}`}
          phase={call.data.phase}
          accountId={owner}
        />
      )}
      {call.data && signedIn && <RefusedCalls phase={call.data.phase} />}
      {signedIn && <Voicemail number={line?.number ?? null} waiting={call.data?.voicemailWaiting === true} />}
      {signedIn && (
        <RoleProvider>
          <BlockedNumbers />
        </RoleProvider>
      )}
      {signedIn && <CallForwarding number={line?.number ?? null} />}
    </section>
  )
}

/**
 * No line connected, and where to go for one: signed out, sign in (someone whose dongle is set up only needs that;
 * someone new activates it); signed in with a line not in service yet, the Account page says what it needs; with
 * no line at all, activate the dongle.
 */
function NoLine({ signedIn }: { signedIn: boolean }): React.JSX.Element {
  const { t } = useTranslation()
  // Read only signed in (signed out there are none to read).
  const lines = useQuery('account.lines', ...(signedIn ? ([] as const) : ([null] as const)))
  const toDevice = (
    <a href={DEVICE.href} data-testid="phone-to-device">
      {t(DEVICE.label)}
    </a>
  )
  if (!signedIn)
    return (
      <div data-testid="phone-no-line" data-why="signed-out">
        <p>
          {t('setup.noLineNow')}{' '}
          <a href="#/account" data-testid="phone-to-account">
            {t('line.openAccount')}
          </a>
        </p>
        <p className="muted">
          {t('phone.newHere')} {toDevice}
        </p>
      </div>
    )
  // Not "activate your dongle" to someone whose line only waits: nothing until the lines are known.
  if (!lines.data)
    return lines.error ? (
      <FormError error={lines.error} testId="phone-no-line-error" />
    ) : (
      <p className="muted">{t('status.checking')}</p>
    )
  if (lines.data.lines.some((l) => l.status !== 'closed'))
    return (
      <p data-testid="phone-no-line" data-why="pending">
        {t('phone.linePending')}{' '}
        <a href={RENEW.href} data-testid="phone-to-account">
          {t('line.openAccount')}
        </a>
      </p>
    )
  return (
    <p data-testid="phone-no-line" data-why="none">
      {t('phone.noLine')} {toDevice}
    </p>
  )
}
