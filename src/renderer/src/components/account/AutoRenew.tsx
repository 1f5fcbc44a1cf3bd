/**
 * The auto-renew switch with its conditions said beside it: which plans allow it, that it needs a saved card
 * that outlives the renewal, and what stops it now (in the order to fix them). Switching it on when a condition
 * fails is refused by the service; the switch shows why instead of pretending. Before any plan (a trial), it
 * says auto-renew comes with a plan and leads to the renewal form's plan list; a missing or too old card leads to
 * the saved cards.
 */
import { useTranslation } from 'react-i18next'
import { useAction, useDialtone } from '../../bridge/dialtone-context'
import { formatInstant } from '../../format'
import { FormError } from '../Field'
import type { Subscription } from './Renewal'
import { blockersToSay } from '../../words'
import { CARDS } from '../../remedies'
import { logFailure } from '../../log'

export function AutoRenew({
  lineId,
  sub,
  onChange
}: {
  lineId: string
  sub: Subscription
  onChange: (s: Subscription) => void
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const client = useDialtone()
  const id = `auto-renew-${lineId}`
  const toggle = useAction((enabled: boolean) => client.invoke('billing.setAutoRenew', { lineId, enabled }))
  const a = sub.autoRenew
  return (
    <div className="auto-renew">
      <label className="inline" htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          role="switch"
          data-testid="auto-renew"
          checked={a.enabled}
          aria-disabled={toggle.pending}
          aria-describedby={`${id}-why`}
          onChange={(e) =>
            void toggle
              .run(e.target.checked)
              .then((s) => s && onChange(s))
              .catch(logFailure('AutoRenew: toggle.run'))
          }
        />
        {t('renewal.autoRenew')}
      </label>
      <div id={`${id}-why`} className="muted">
        <p>{t('renewal.autoRenewRules')}</p>
        {a.enabled && a.nextRenewalAt && (
          <p>{t('renewal.nextRenewal', { date: formatInstant(a.nextRenewalAt, i18n.language) })}</p>
        )}
        {a.blockedBy.length > 0 && (
          <ul data-testid="auto-renew-blockers">
            {blockersToSay(sub).map((b) => (
              <li key={b} data-testid={`auto-renew-blocker-${b}`}>
                {t(`renewal.blockers.${b}`)}
                {b === 'no-plan' && (
                  <>
                    {' '}
                    <button
                      type="button"
                      className="secondary"
                      data-testid="auto-renew-choose-plan"
                      onClick={() => {
                        // The renewal form, just below: its plan list, in view and focused.
                        const select = document.getElementById(`renew-plan-${lineId}`)
                        select?.scrollIntoView({ block: 'center' })
                        select?.focus()
                      }}
                    >
                      {t('trial.choose')}
                    </button>
                  </>
                )}
                {(b === 'no-card' || b === 'card-expires-first') && (
                  <>
                    {' '}
                    {/* The saved cards are on the Billing tab, not beside the switch on the overview. */}
                    <a href={CARDS.href} data-testid={`auto-renew-to-cards-${b}`}>
                      {t(CARDS.label)}
                    </a>
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
      <FormError error={toggle.error} testId="auto-renew-error" />
    </div>
  )
}
