/**
 * Numbers this line never rings for (the caller hears the line is busy): the account's list with its limit,
 * adding one with an optional label, removing one. Kept by the service, enforced by the phone in main, which
 * re-reads the list after each change here. A business's line user sees the list their phone follows; only the
 * administrator changes it (src/shared/api/access.ts), so the controls are not offered to them.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useAction, useDialtone, useQuery } from '../../bridge/dialtone-context'
import { Field, FormError, issueFor } from '../Field'
import { isolate } from '../../../../shared/i18n/bidi'
import { limit } from '../../limits'
import { logFailure } from '../../log'
import { useMayCall } from '../business/role'
import { usePhoneNumbers } from '../../phone-numbers'
import { PhoneField } from '../PhoneField'
import { Said, useSaid } from '../Said'

export function BlockedNumbers(): React.JSX.Element {
  const { t } = useTranslation()
  const phone = usePhoneNumbers()
  const client = useDialtone()
  const list = useQuery('billing.blocked')
  const { update } = list
  const [number, setNumber] = useState('')
  const [label, setLabel] = useState('')
  const block = useAction(() =>
    client.invoke('billing.block', { number, ...(label.trim() ? { label: label.trim() } : {}) })
  )
  const unblock = useAction((n: string) => client.invoke('billing.unblock', { number: n }))
  const numbers = list.data?.numbers ?? []
  const mayEdit = useMayCall('block', 'unblock')
  const { said, say } = useSaid()
  return (
    <section className="card" aria-labelledby="blocked-title" data-testid="blocked">
      <h2 id="blocked-title">{t('blocked.title')}</h2>
      <p className="muted">{t('blocked.hint', { used: numbers.length, max: list.data?.max ?? 0 })}</p>
      <FormError error={list.error} testId="blocked-error" />
      <ul className="plain-list">
        {numbers.map((n) => (
          <li key={n.number} data-testid="blocked-row">
            <span>{isolate(phone(n.number))}</span> {n.label && <span className="muted">{n.label}</span>}{' '}
            {mayEdit && (
              <button
                type="button"
                className="secondary"
                aria-label={t('blocked.unblockNumber', { number: phone(n.number) })}
                onClick={() =>
                  void unblock
                    .run(n.number)
                    .then((r) => {
                      if (!r) return
                      update(() => r)
                      say(t('blocked.unblockedSaid', { number: isolate(phone(n.number)) }))
                    })
                    .catch(logFailure('BlockedNumbers: unblock.run'))
                }
              >
                {t('blocked.unblock')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <FormError error={unblock.error} testId="unblock-error" />
      <Said said={said} testId="blocked-said" />
      {!mayEdit && <p className="muted">{t('blocked.managedByAdministrator')}</p>}
      {mayEdit && (
        <form
          noValidate
          className="form"
          onSubmit={(e) => {
            e.preventDefault()
            void block
              .run()
              .then((r) => {
                if (!r) return
                update(() => r)
                setNumber('')
                setLabel('')
                say(t('blocked.blockedSaid', { number: isolate(phone(number)) }))
              })
              .catch(logFailure('BlockedNumbers: block.run'))
          }}
        >
          <div className="field-grid">
            <PhoneField
              label={t('blocked.number')}
              value={number}
              onChange={setNumber}
              testId="blocked-number"
              maxLength={limit('billing.block', 'number')}
              inputMode="tel"
              required
              error={issueFor(block.error, 'number')}
            />
            <Field
              label={t('blocked.label')}
              value={label}
              onChange={setLabel}
              testId="blocked-label"
              maxLength={limit('billing.block', 'label')}
              error={issueFor(block.error, 'label')}
            />
          </div>
          <FormError error={block.error} testId="block-error" />
          <button type="submit" className="secondary" aria-disabled={block.pending} data-testid="blocked-add">
            {t('blocked.block')}
          </button>
        </form>
      )}
    </section>
  )
}
