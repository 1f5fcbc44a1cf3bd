/**
 * The account's saved cards (Billing tab): brand, last 4 and expiry, with a card that expires soon or has expired
 * marked; which card auto-renew and its retries charge, and on which lines; add a card, replace one (one step:
 * the new card takes over, the old one goes) and remove one. Removing a card that auto-renew needs says first
 * what happens (auto-renew switches off on those lines) and offers replacing instead. Reminders about a card
 * (main's notification, the overview's banner, the service's emails) all lead here: #/account/billing.
 */
import { useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { cardExpiry } from '../../../../shared/billing/card-expiry'
import { isolate } from '../../../../shared/i18n/bidi'
import { useAction, useDialtone, useEvent, useQuery } from '../../bridge/dialtone-context'
import { FormError } from '../Field'
import { logFailure } from '../../log'
import { CardForm, type SavedCard, linesList } from './CardForm'
import { usePhoneNumbers } from '../../phone-numbers'
import { cardBrandName } from '../../words'
import { formatCardDigits, formatCardExpiry } from '../../format'
import { useQuestionFocus } from '../../question-focus'

/** A card's last four as the words keep them (Latin, as the service sent them), and the lines' numbers. */
interface Said {
  key: string
  values: { last4: string; old?: string; lines?: string }
}

/** The card's last four ('last4', 'old') in the person's digits, at the moment the sentence is worded. */
const sayCard = (values: Said['values'], lang: string): Record<string, string> => ({
  ...values,
  last4: formatCardDigits(values.last4, lang),
  ...(values.old === undefined ? {} : { old: formatCardDigits(values.old, lang) })
})

export function Cards(): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const cards = useQuery('billing.paymentMethods')
  const { refresh } = cards
  // A checkout elsewhere may have saved a card, or a line's auto-renew changed.
  useEvent('account.linesChanged', refresh)
  // What was just done, kept as words' key and values so a language switch rewords it.
  const [done, setDone] = useState<Said | null>(null)
  const list = cards.data?.paymentMethods ?? []
  const said = (what: Said): void => {
    setDone(what)
    refresh()
  }
  return (
    <section className="card" aria-labelledby="cards-title" data-testid="cards">
      <h2 id="cards-title">{t('cards.title')}</h2>
      <p className="muted">{t('cards.intro')}</p>
      <FormError error={cards.error} testId="cards-error" />
      {cards.data && list.length === 0 && <p data-testid="cards-none">{t('cards.none')}</p>}
      <ul className="plain-list">
        {list.map((m) => (
          <CardRow
            key={m.id}
            card={m}
            // A card saved at checkout becomes the default while auto-renew stays on its card: offer moving it.
            elsewhere={list.some((o) => o.id !== m.id && o.autoRenewFor.length > 0)}
            onDone={said}
          />
        ))}
      </ul>
      {done && (
        <p className="note" role="status" data-testid="cards-done">
          {t(done.key, sayCard(done.values, i18n.language))}
        </p>
      )}
      <CardForm
        first={cards.data !== undefined && list.length === 0}
        onSaved={(c) => said({ key: 'cards.added', values: { last4: c.last4 } })}
      />
    </section>
  )
}

function CardRow({
  card,
  elsewhere,
  onDone
}: {
  card: SavedCard
  /** Another card is charged by some line's auto-renew. */
  elsewhere: boolean
  onDone: (what: Said) => void
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const phone = usePhoneNumbers()
  const client = useDialtone()
  const [mode, setMode] = useState<'idle' | 'replace' | 'remove'>('idle')
  const removeButton = useRef<HTMLButtonElement>(null)
  const keepButton = useRef<HTMLButtonElement>(null)
  useQuestionFocus(mode === 'remove', keepButton, removeButton)
  const remove = useAction(() => client.invoke('billing.removePaymentMethod', { paymentMethodId: card.id }))
  const makeDefault = useAction(() =>
    client.invoke('billing.setDefaultPaymentMethod', { paymentMethodId: card.id })
  )
  const expiry = cardExpiry(card, new Date())
  const lang = i18n.language
  const last4 = isolate(formatCardDigits(card.last4, lang))
  const lines = linesList(card.autoRenewFor, phone, lang)
  // The row's buttons are described by its card, so a list of buttons tells each card's "Remove" apart.
  const cardId = useId()
  return (
    <li data-testid="card-row" data-last4={card.last4}>
      <span id={cardId}>
        {t('billing.savedCard', {
          brand: cardBrandName(t, card.brand),
          last4,
          exp: isolate(formatCardExpiry(card.expMonth, card.expYear, lang))
        })}
      </span>{' '}
      {expiry !== 'ok' && (
        <span
          className={`chip ${expiry === 'expired' ? 'coverage-expired' : 'coverage-expiring_soon'}`}
          data-testid="card-expiry"
        >
          {t(`cards.${expiry}`)}
        </span>
      )}
      {card.isDefault && (
        <p className="muted" data-testid="card-default">
          {t('cards.forAutoRenew')}
        </p>
      )}
      {card.autoRenewFor.length > 0 && (
        <p className="muted" data-testid="card-lines">
          {t('cards.usedBy', { lines })}
        </p>
      )}
      <div className="row-actions">
        {(!card.isDefault || elsewhere) && (
          <button
            type="button"
            className="secondary"
            data-testid="card-make-default"
            aria-describedby={cardId}
            aria-disabled={makeDefault.pending}
            onClick={() =>
              void makeDefault
                .run()
                .then((r) => r && onDone({ key: 'cards.defaultSet', values: { last4: card.last4 } }))
                .catch(logFailure('Cards: makeDefault.run'))
            }
          >
            {t('cards.useForAutoRenew')}
          </button>
        )}
        <button
          type="button"
          className="secondary"
          data-testid="card-replace"
          aria-describedby={cardId}
          aria-expanded={mode === 'replace'}
          onClick={() => setMode(mode === 'replace' ? 'idle' : 'replace')}
        >
          {t('cards.replace')}
        </button>
        <button
          type="button"
          className="secondary"
          data-testid="card-remove"
          aria-describedby={cardId}
          ref={removeButton}
          aria-expanded={mode === 'remove'}
          onClick={() => setMode(mode === 'remove' ? 'idle' : 'remove')}
        >
          {t('cards.remove')}
        </button>
      </div>
      <FormError error={makeDefault.error} testId="card-default-error" />
      {mode === 'replace' && (
        <CardForm
          replaces={card}
          onClose={() => setMode('idle')}
          onSaved={(c) => {
            setMode('idle')
            onDone({ key: 'cards.replaced', values: { old: card.last4, last4: c.last4 } })
          }}
        />
      )}
      {mode === 'remove' && (
        <div
          className="form"
          role="group"
          aria-labelledby={`remove-${card.id}`}
          data-testid="card-remove-ask"
        >
          <p id={`remove-${card.id}`}>
            <strong>{t('cards.removeAsk', { last4 })}</strong>
          </p>
          {card.autoRenewFor.length > 0 && (
            <p className="banner warn" data-testid="card-remove-warning">
              {t('cards.removeWarn', { lines })}
            </p>
          )}
          <FormError error={remove.error} testId="card-remove-error" />
          <div className="row-actions">
            <button
              type="button"
              className="danger"
              data-testid="card-remove-confirm"
              aria-disabled={remove.pending}
              onClick={() =>
                void remove
                  .run()
                  .then((r) => {
                    if (!r) return
                    setMode('idle')
                    onDone(
                      card.autoRenewFor.length > 0
                        ? { key: 'cards.removedOff', values: { last4: card.last4, lines } }
                        : { key: 'cards.removed', values: { last4: card.last4 } }
                    )
                  })
                  .catch(logFailure('Cards: remove.run'))
              }
            >
              {t('cards.removeConfirm')}
            </button>
            <button
              type="button"
              className="secondary"
              data-testid="card-remove-keep"
              ref={keepButton}
              onClick={() => setMode('idle')}
            >
              {t('cards.keep')}
            </button>
          </div>
        </div>
      )}
    </li>
  )
}
