/** International minutes packs on sale, bought from the balance (the balance card shows what is left of each). */
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import type { ResponseOf } from '../../../../shared/ipc/contract'
import { useAction, useDialtone, useQuery } from '../../bridge/dialtone-context'
import { useIntent } from '../../bridge/intent'
import { formatMoney } from '../../format'
import { useWords } from '../../words'
import { FormError } from '../Field'
import { logFailure } from '../../log'

export function MinutesPacks({
  onBought
}: {
  /** The balance after the purchase, and the pack's name, to say what was bought. */
  onBought: (balance: ResponseOf<'billing.buyMinutes'>, pack: { name: string }) => void
}): React.JSX.Element | null {
  const { t, i18n } = useTranslation()
  const words = useWords()
  const client = useDialtone()
  const intent = useIntent()
  // Each "Buy from balance" is described by its pack, so a list of buttons tells them apart.
  const ids = useId()
  const packs = (useQuery('billing.plans').data?.plans ?? []).filter((p) => p.kind === 'intl_minutes')
  const buy = useAction((planId: string) =>
    intent((idempotencyKey) => client.invoke('billing.buyMinutes', { idempotencyKey, planId }))
  )
  if (packs.length === 0) return null
  return (
    <div className="minutes-packs">
      <h3>{t('minutes.title')}</h3>
      <ul className="plain-list">
        {packs.map((p) => (
          <li key={p.id}>
            <span id={`${ids}-${p.id}`}>
              {t('minutes.pack', {
                name: words.plan(p.code),
                minutes: p.minutes ?? 0,
                count: p.minutes ?? 0,
                price: formatMoney(p.price, i18n.language)
              })}
            </span>{' '}
            <button
              type="button"
              className="secondary"
              aria-disabled={buy.pending}
              aria-describedby={`${ids}-${p.id}`}
              data-testid={`minutes-buy-${p.code}`}
              onClick={() =>
                void buy
                  .run(p.id)
                  .then((r) => r && onBought(r, { name: words.plan(p.code) }))
                  .catch(logFailure('MinutesPacks: buy.run'))
              }
            >
              {t('minutes.buy')}
            </button>
          </li>
        ))}
      </ul>
      <FormError error={buy.error} testId="minutes-error" />
    </div>
  )
}
