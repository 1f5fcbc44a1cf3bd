/**
 * A Re-Up code from a shop card, redeemed on this line: the service says how far the line is then paid. One
 * outcome at a time: a new try clears the last one's "Redeemed", and a refused code is said once (the announced
 * banner; the field is marked invalid, not worded again). An address that asks for it (VOUCHER_HREF, the Help
 * page's "where to enter the code") brings the field into view and focuses it.
 */
import { useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useAction, useDialtone } from '../../bridge/dialtone-context'
import { formatInstant } from '../../format'
import { useIntent } from '../../bridge/intent'
import { Field, FormError, issueFor } from '../Field'
import { limit } from '../../limits'
import { logFailure } from '../../log'
import { useFocusWhenAsked } from '../../focus-when-asked'

export function VoucherForm({
  lineId,
  onRedeemed
}: {
  lineId: string
  onRedeemed: () => void
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const client = useDialtone()
  const [code, setCode] = useState('')
  const intent = useIntent()
  const redeem = useAction(() =>
    intent((idempotencyKey) => client.invoke('billing.redeemVoucher', { idempotencyKey, code, lineId }))
  )
  // The last try's result only: run() clears both data and error when a new try starts.
  const paidThrough = redeem.data?.paidThrough
  const codeIssue = issueFor(redeem.error, 'code')
  const formRef = useRef<HTMLFormElement>(null)
  // The Help page's "where to enter the code" asks for it; of several lines, the first drawn takes it (and the ask).
  useFocusWhenAsked('voucher', () => formRef.current?.querySelector('input'))
  return (
    <form
      ref={formRef}
      data-voucher
      noValidate
      className="form"
      aria-labelledby={`voucher-title-${lineId}`}
      onSubmit={(e) => {
        e.preventDefault()
        void redeem
          .run()
          .then((r) => {
            if (!r) return
            setCode('')
            onRedeemed()
          })
          .catch(logFailure('VoucherForm: redeem.run'))
      }}
    >
      <h3 id={`voucher-title-${lineId}`}>{t('renewal.voucherTitle')}</h3>
      <Field
        label={t('renewal.voucherCode')}
        value={code}
        onChange={setCode}
        testId="voucher-code"
        latinDigits
        maxLength={limit('billing.redeemVoucher', 'code')}
        autoComplete="off"
        dir="ltr"
        required
        // The refusal is said once, in the announced banner below; the field is only marked.
        aria-invalid={codeIssue ? true : undefined}
      />
      <FormError error={redeem.error} testId="voucher-error" />
      {paidThrough && (
        <p className="note" role="status" data-testid="voucher-done">
          {t('renewal.voucherDone', { date: formatInstant(paidThrough, i18n.language) })}
        </p>
      )}
      <button type="submit" className="secondary" aria-disabled={redeem.pending} data-testid="voucher-submit">
        {t('renewal.voucherSubmit')}
      </button>
    </form>
  )
}
