/**
 * The confirmation of one service switch (issue 25 part 1): the service's preview said before anything changes —
 * the charge now for the rest of this month, or what comes back for its unused days, the monthly fee from the
 * next month's first day, and the balance (told when it does not cover the charge) — then Confirm or Cancel. The
 * switch carries one idempotency key per intent, so a retry after a lost answer cannot charge twice, and the amounts
 * shown, so that it charges nothing else: amounts changed meanwhile are refused and shown again.
 */
import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { ResponseOf } from '../../../../shared/ipc/contract'
import { isolate } from '../../../../shared/i18n/bidi'
import { asDialtoneError, useAction, useDialtone, useQuery } from '../../bridge/dialtone-context'
import { useIntent } from '../../bridge/intent'
import { formatDay, formatMoney } from '../../format'
import { logFailure } from '../../log'
import { FormError } from '../Field'
import { TOP_UP } from '../../remedies'

export function SwitchConfirm({
  lineId,
  code,
  enabled,
  service,
  onCancel,
  onDone
}: {
  lineId: string
  code: string
  enabled: boolean
  service: string
  onCancel: () => void
  onDone: (next: ResponseOf<'services.list'>) => void
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const client = useDialtone()
  const intent = useIntent()
  const preview = useQuery('services.preview', { lineId, code, enabled })
  const p = preview.data
  // The amounts said are the ones agreed to: the service refuses others (price-changed), and the new ones are
  // read again to be shown in their place.
  const expected = p && { chargeMinor: p.charge.amountMinor, creditMinor: p.credit.amountMinor }
  const confirm = useAction(async () => {
    try {
      return await intent((idempotencyKey) =>
        client.invoke('services.switch', { lineId, code, enabled, idempotencyKey, expected })
      )
    } catch (err) {
      if (asDialtoneError(err).reason === 'price-changed') preview.refresh()
      throw err
    }
  })
  const money = (m: { amountMinor: number; currency: string }) => isolate(formatMoney(m, lang))
  const short = p ? p.charge.amountMinor > p.balance.amountMinor : false
  const titleId = `service-confirm-${lineId}`
  // Opened beside the row's switch: the question takes the focus, so it is read and its answers come next.
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [code, enabled])
  return (
    <div className="preview" role="group" aria-labelledby={titleId} data-testid="service-confirm">
      <h3 id={titleId} ref={heading} tabIndex={-1}>
        {t(enabled ? 'services.confirm.titleOn' : 'services.confirm.titleOff', { service })}
      </h3>
      <FormError error={preview.error} testId="service-preview-error" />
      {p && (
        <>
          <p data-testid="service-confirm-amount">
            {enabled
              ? p.charge.amountMinor > 0
                ? t('services.confirm.charge', {
                    amount: money(p.charge),
                    date: formatDay(p.effectiveDate, lang)
                  })
                : t('services.confirm.free')
              : p.credit.amountMinor > 0
                ? t('services.confirm.credit', { amount: money(p.credit) })
                : t('services.confirm.nothingBack')}
          </p>
          {enabled && p.monthlyFee.amountMinor > 0 && (
            <p data-testid="service-confirm-monthly">
              {t('services.confirm.monthly', {
                amount: money(p.monthlyFee),
                date: formatDay(p.nextPeriodDate, lang)
              })}
            </p>
          )}
          <p className={short ? 'banner warn' : 'muted'} data-testid="service-confirm-balance">
            {short
              ? t('services.confirm.short', { balance: money(p.balance), amount: money(p.charge) })
              : t('services.confirm.balance', { amount: money(p.balance) })}
            {short && (
              <>
                {' '}
                <a href={TOP_UP.href} data-testid="service-confirm-top-up">
                  {t(TOP_UP.label)}
                </a>
              </>
            )}
          </p>
          <p className="muted">{t('services.confirm.rule')}</p>
          {enabled && p.monthlyFee.amountMinor > 0 && (
            <p className="muted" data-testid="service-confirm-unpaid">
              {t('services.confirm.unpaidRule')}
            </p>
          )}
        </>
      )}
      <FormError error={confirm.error} testId="service-switch-error" />
      <div className="actions">
        <button
          type="button"
          data-testid="service-confirm-yes"
          aria-disabled={!p || confirm.pending}
          onClick={() => {
            // Nothing to confirm before the amounts are said (a `disabled` button would drop the focus).
            if (!p) return
            void confirm
              .run()
              .then((next) => next && onDone(next))
              .catch(logFailure('SwitchConfirm: confirm.run'))
          }}
        >
          {t('services.confirm.yes')}
        </button>
        <button type="button" className="secondary" data-testid="service-confirm-cancel" onClick={onCancel}>
          {t('services.confirm.cancel')}
        </button>
      </div>
    </div>
  )
}
