/**
 * How to pay: a saved card, or a card typed now (optionally saved). The card number goes from here through main
 * to the service's processor; nothing here keeps it after the form closes. CardInputs (the three card fields) is
 * shared with the Billing tab's add/replace card form.
 */
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import type { DialtoneError } from '../../../../shared/ipc/errors'
import type { RequestOf } from '../../../../shared/ipc/contract'
import { useEvent, useQuery } from '../../bridge/dialtone-context'
import { Field, issueFor } from '../Field'
import { limit } from '../../limits'
import { cardBrandName } from '../../words'
import { formatCardDigits, formatCardExpiry } from '../../format'

export type PaymentChoice = RequestOf<'billing.topUp'>['payment']

export interface PaymentDraft {
  /** A saved card's id, or 'new'. */
  method: string
  number: string
  exp: string
  cvc: string
  save: boolean
}

export const EMPTY_PAYMENT: PaymentDraft = { method: '', number: '', exp: '', cvc: '', save: false }

export type CardDraft = Pick<PaymentDraft, 'number' | 'exp' | 'cvc'>
export type CardRequest = RequestOf<'billing.addPaymentMethod'>['card']

/** The card typed in the form; an expiry that is not MM/YY becomes month 0 so main refuses it by field. */
export function cardOf(d: CardDraft): CardRequest {
  const m = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(d.exp)
  const year = m?.[2] ? Number(m[2].length === 2 ? `20${m[2]}` : m[2]) : 0
  return { number: d.number, expMonth: m?.[1] ? Number(m[1]) : 0, expYear: year, cvc: d.cvc }
}

/** The request's payment from the form. */
export function paymentChoice(d: PaymentDraft): PaymentChoice {
  const method = d.method || 'new'
  if (method !== 'new') return { paymentMethodId: method }
  return { card: cardOf(d), save: d.save }
}

/** The three card inputs (number, expiry, security code), each with its field's refusal beside it. */
export function CardInputs({
  draft,
  onChange,
  error,
  testId
}: {
  draft: CardDraft
  onChange: (patch: Partial<CardDraft>) => void
  error: DialtoneError | undefined
  testId: string
}): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <>
      <Field
        label={t('billing.cardNumber')}
        value={draft.number}
        onChange={(number) => onChange({ number })}
        testId={`${testId}-number`}
        latinDigits
        maxLength={limit('billing.topUp', 'payment.card.number')}
        inputMode="numeric"
        autoComplete="cc-number"
        dir="ltr"
        required
        error={issueFor(error, 'card.number')}
      />
      <Field
        label={t('billing.cardExpiry')}
        value={draft.exp}
        onChange={(exp) => onChange({ exp })}
        testId={`${testId}-exp`}
        latinDigits
        placeholder={t('billing.cardExpiryPlaceholder')}
        autoComplete="cc-exp"
        dir="ltr"
        required
        error={issueFor(error, 'card.expMonth') ?? issueFor(error, 'card.expYear')}
      />
      <Field
        label={t('billing.cardCvc')}
        value={draft.cvc}
        onChange={(cvc) => onChange({ cvc })}
        testId={`${testId}-cvc`}
        latinDigits
        maxLength={limit('billing.topUp', 'payment.card.cvc')}
        inputMode="numeric"
        autoComplete="cc-csc"
        dir="ltr"
        required
        error={issueFor(error, 'card.cvc')}
      />
    </>
  )
}

export function PaymentFields({
  draft,
  onChange,
  error,
  testId,
  mustSave = false
}: {
  draft: PaymentDraft
  onChange: (d: PaymentDraft) => void
  error: DialtoneError | undefined
  testId: string
  /** Auto-renew was asked for: a new card has to be kept, so the box is ticked and fixed. */
  mustSave?: boolean
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const saved = useQuery('billing.paymentMethods')
  // A checkout elsewhere on the page may have saved a card.
  useEvent('account.linesChanged', saved.refresh)
  const methods = saved.data?.paymentMethods ?? []
  const fallback = methods.find((m) => m.isDefault)?.id ?? methods[0]?.id
  const method = draft.method || 'new'
  const set = (patch: Partial<PaymentDraft>): void => onChange({ ...draft, ...patch })
  // The default saved card is chosen once the cards are known, unless the person already chose.
  useEffect(() => {
    if (draft.method === '' && fallback) onChange({ ...draft, method: fallback })
  }, [draft, fallback, onChange])
  return (
    <fieldset data-testid={testId}>
      <legend>{t('billing.payWith')}</legend>
      {methods.map((m) => (
        <label key={m.id} className="inline">
          <input
            type="radio"
            name={`${testId}-method`}
            checked={method === m.id}
            onChange={() => set({ method: m.id })}
          />
          {t('billing.savedCard', {
            brand: cardBrandName(t, m.brand),
            last4: formatCardDigits(m.last4, i18n.language),
            exp: formatCardExpiry(m.expMonth, m.expYear, i18n.language)
          })}
        </label>
      ))}
      {methods.length > 0 && (
        <label className="inline">
          <input
            type="radio"
            name={`${testId}-method`}
            checked={method === 'new'}
            onChange={() => set({ method: 'new' })}
          />
          {t('billing.newCard')}
        </label>
      )}
      {method === 'new' && (
        <div className="field-grid">
          <CardInputs draft={draft} onChange={set} error={error} testId={testId} />
          <label className="inline">
            <input
              type="checkbox"
              checked={draft.save || mustSave}
              disabled={mustSave}
              onChange={(e) => set({ save: e.target.checked })}
            />
            {t('billing.saveCard')}
          </label>
        </div>
      )}
    </fieldset>
  )
}
