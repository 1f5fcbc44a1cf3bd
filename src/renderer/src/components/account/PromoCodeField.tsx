/**
 * A promotion code where a line is paid for (a trial's conversion or a renewal): the person types it and applies
 * it; the cart is priced again with it (RenewNow), and a refusal is worded beside the field. Enter applies the
 * code here instead of submitting the payment form, so a code is never paid for before its price was seen.
 */
import { useTranslation } from 'react-i18next'
import type { FieldIssue } from '../../../../shared/ipc/errors'
import { Field } from '../Field'
import { isolate } from '../../../../shared/i18n/bidi'
import { limit } from '../../limits'

export function PromoCodeField({
  draft,
  onDraft,
  onApply,
  applied,
  issue
}: {
  draft: string
  onDraft: (v: string) => void
  onApply: () => void
  /** The code the shown price includes, or null. */
  applied: string | null
  issue: FieldIssue | undefined
}): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <div className="promo" data-testid="promo">
      <Field
        label={t('renewal.promoCode')}
        value={draft}
        onChange={onDraft}
        testId="promo-code"
        latinDigits
        maxLength={limit('billing.checkout', 'promoCode')}
        autoComplete="off"
        dir="ltr"
        hint={t('renewal.promoHint')}
        error={issue}
        onKeyDown={(e) => {
          if (e.key !== 'Enter') return
          e.preventDefault()
          onApply()
        }}
      />
      <button type="button" className="secondary" data-testid="promo-apply" onClick={onApply}>
        {t('renewal.promoApply')}
      </button>
      {applied && !issue && (
        <p className="note" role="status" data-testid="promo-accepted">
          {t('renewal.promoAccepted', { code: isolate(applied.toUpperCase()) })}
        </p>
      )}
    </div>
  )
}
