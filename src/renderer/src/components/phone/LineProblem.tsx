/**
 * Why the line is not registered, in the person's words: the reason, what to do with a way to do it (Try now,
 * the Account page, Settings, Help, from LINE_PROBLEM_ACTIONS), a countdown to the next try that counts down live, and
 * main's English sentence folded away as technical detail. Shown by the setup wizard's Connect step and the
 * Phone page, so both say the same thing.
 */
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { LineStatus } from '../../../../shared/ipc/phone'
import { isolate } from '../../../../shared/i18n/bidi'
import { LINE_PROBLEM_ACTIONS, secondsUntil } from '../../../../shared/telephony/line-advice'
import { useAction, useDialtone } from '../../bridge/dialtone-context'
import { logFailure } from '../../log'
import { SUPPORT } from '../../remedies'
import { useMayCall } from '../business/role'

/** The current time, ticking every second while `active` (for a countdown). */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!active) return
    const tick = (): void => setNow(Date.now())
    // At once (the clock may be stale from before the countdown began), then every second.
    const first = setTimeout(tick, 0)
    const timer = setInterval(tick, 1000)
    return () => {
      clearTimeout(first)
      clearInterval(timer)
    }
  }, [active])
  return now
}

export function LineProblem({ status }: { status: LineStatus }): React.JSX.Element | null {
  const { t, i18n } = useTranslation()
  const client = useDialtone()
  const retry = useAction(() => client.invoke('phone.reconnect'))
  const now = useNow(status.retryAt !== null)
  // A business's line user does not renew the line: told who does, with no link to a renewal they cannot see.
  const mayRenew = useMayCall('checkout')
  const problem = status.problem
  if (!problem) return null
  const seconds = secondsUntil(status.retryAt, now)
  const askAdmin = problem === 'serviceLapsed' && !mayRenew
  const actions = LINE_PROBLEM_ACTIONS[problem].filter((a) => !(askAdmin && a === 'account'))
  const n = new Intl.NumberFormat(i18n.language)
  return (
    <div className="banner warn line-problem" data-testid="line-problem" data-problem={problem}>
      <p role="alert">
        <strong data-testid="line-problem-reason">{t(`line.problem.${problem}`)}</strong>
      </p>
      <p data-testid="line-problem-todo">
        {t(askAdmin ? 'line.todoAskAdmin.serviceLapsed' : `line.todo.${problem}`)}
      </p>
      {status.state === 'registering' ? (
        <p className="muted" role="status">
          {t('line.retryingNow')}
        </p>
      ) : (
        seconds !== null && (
          // A timer role is not announced each second; the sentence is there for whoever looks.
          <p className="muted" role="timer" data-testid="line-countdown" data-seconds={seconds}>
            {t('line.retryIn', { seconds: isolate(n.format(seconds)) })}
          </p>
        )
      )}
      <p className="actions">
        {actions.includes('retry') && (
          <button
            type="button"
            data-testid="line-try-now"
            disabled={retry.pending || status.state === 'registering'}
            onClick={() => void retry.run().catch(logFailure('LineProblem: retry.run'))}
          >
            {t('line.tryNow')}
          </button>
        )}
        {actions.includes('account') && (
          <a href="#/account" data-testid="line-open-account">
            {t('line.openAccount')}
          </a>
        )}
        {actions.includes('settings') && (
          <a href="#/settings" data-testid="line-open-settings">
            {t('line.openSettings')}
          </a>
        )}
        {actions.includes('support') && (
          <a href={SUPPORT.href} data-testid="line-open-help">
            {t(SUPPORT.label)}
          </a>
        )}
      </p>
      {status.reason && (
        <details>
          <summary>{t('setup.details')}</summary>
          <p lang="en" dir="ltr" data-testid="line-problem-detail">
            {status.reason}
          </p>
        </details>
      )}
    </div>
  )
}
