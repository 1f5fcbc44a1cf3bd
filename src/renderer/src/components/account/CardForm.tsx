/**
 * Adding a card, or replacing a saved one, with PaymentFields' card inputs. The service checks the card with the
 * issuer before keeping it, so a card that declines is refused here, beside the fields, with what was typed left
 * in place to correct. Replacing is one step on the service: the new card takes over what charged the old one
 * (its auto-renewals and their retries), then the old card is removed.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useAction, useDialtone } from '../../bridge/dialtone-context'
import type { ResponseOf } from '../../../../shared/ipc/contract'
import { FormError } from '../Field'
import { logFailure } from '../../log'
import { CardInputs, type CardDraft, cardOf } from './PaymentFields'
import { isolate } from '../../../../shared/i18n/bidi'
import { usePhoneNumbers } from '../../phone-numbers'
import { formatCardDigits, formatList } from '../../format'

export type SavedCard = ResponseOf<'billing.paymentMethods'>['paymentMethods'][number]

/**
 * The lines a card renews, as the person knows them: their numbers, isolated for right-to-left text, listed as the
 * language lists.
 */
export function linesList(
  lines: SavedCard['autoRenewFor'],
  phone: (n: string) => string,
  lang: string
): string {
  return formatList(
    lines.map((l) => isolate(l.number ? phone(l.number) : '—')),
    lang
  )
}

const EMPTY: CardDraft = { number: '', exp: '', cvc: '' }

export function CardForm({
  replaces,
  first = false,
  onSaved,
  onClose
}: {
  /** The saved card this one replaces; none to add a card. */
  replaces?: SavedCard
  /** No card is saved yet: this one becomes the one auto-renew charges. Otherwise that choice stays as it was. */
  first?: boolean
  onSaved: (saved: SavedCard) => void
  onClose?: () => void
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const phone = usePhoneNumbers()
  const client = useDialtone()
  const [draft, setDraft] = useState(EMPTY)
  const save = useAction(() =>
    client.invoke('billing.addPaymentMethod', {
      card: cardOf(draft),
      makeDefault: first,
      ...(replaces ? { replaces: replaces.id } : {})
    })
  )
  const testId = replaces ? 'card-replace' : 'card-add'
  const titleId = `${testId}-title`
  return (
    <form
      noValidate
      className="form"
      aria-labelledby={titleId}
      data-testid={`${testId}-form`}
      onSubmit={(e) => {
        e.preventDefault()
        void save
          .run()
          .then((saved) => {
            if (!saved) return
            setDraft(EMPTY)
            onSaved(saved)
          })
          .catch(logFailure('CardForm: save.run'))
      }}
    >
      <h3 id={titleId}>
        {replaces
          ? t('cards.replaceTitle', { last4: formatCardDigits(replaces.last4, i18n.language) })
          : t('cards.addTitle')}
      </h3>
      {replaces && (
        <p className="muted">
          {replaces.autoRenewFor.length > 0
            ? t('cards.replaceHelpLines', { lines: linesList(replaces.autoRenewFor, phone, i18n.language) })
            : t('cards.replaceHelp')}
        </p>
      )}
      <div className="field-grid">
        <CardInputs
          draft={draft}
          onChange={(patch) => setDraft((d) => ({ ...d, ...patch }))}
          error={save.error}
          testId={testId}
        />
      </div>
      {/* A decline (or any refusal not about one field) is said right under the card's fields. */}
      <FormError error={save.error} testId={`${testId}-error`} />
      <div className="row-actions">
        <button type="submit" aria-disabled={save.pending} data-testid={`${testId}-submit`}>
          {replaces ? t('cards.replaceSubmit') : t('cards.addSubmit')}
        </button>
        {onClose && (
          <button type="button" className="secondary" onClick={onClose}>
            {t('cards.close')}
          </button>
        )}
      </div>
    </form>
  )
}
