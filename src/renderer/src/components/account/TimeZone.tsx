/**
 * The account's time zone on the Profile tab: which zone the account's dates are counted in (the 1st of a month,
 * the day a tariff changes, when a payment is due), set from this computer at sign-up and changed here. The person
 * types or picks an area name from the list the browser knows; the service checks it is a real zone, and a bad
 * one is refused next to the field with what was typed kept.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type Query, useAction, useDialtone } from '../../bridge/dialtone-context'
import { systemZone } from '../../../../shared/time/business-dates'
import { isolate } from '../../../../shared/i18n/bidi'
import { Field, FormError, issueFor } from '../Field'
import { logFailure } from '../../log'
import type { Profile } from './EmailConfirm'

/** Every zone the browser knows, for the list under the field (UTC first: Chromium leaves it out). */
const ZONES: readonly string[] = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')]

export function TimeZone({ profile }: { profile: Query<Profile> }): React.JSX.Element | null {
  const { t } = useTranslation()
  const client = useDialtone()
  const { update } = profile
  const current = profile.data?.timeZone
  const [zone, setZone] = useState<string | null>(null)
  const [saved, setSaved] = useState(false)
  const value = zone ?? current ?? ''
  const save = useAction(() => client.invoke('account.updateTimeZone', { timeZone: value.trim() }))
  const here = systemZone()
  if (!current) return null
  return (
    <section className="card" aria-labelledby="time-zone-title" data-testid="time-zone">
      <h2 id="time-zone-title">{t('timeZone.title')}</h2>
      <p className="muted">{t('timeZone.intro')}</p>
      <p data-testid="time-zone-current">{t('timeZone.current', { zone: isolate(current) })}</p>
      <form
        noValidate
        className="form"
        onSubmit={(ev) => {
          ev.preventDefault()
          setSaved(false)
          void save
            .run()
            .then((p) => {
              if (!p) return
              update(() => p)
              setZone(null)
              setSaved(true)
            })
            .catch(logFailure('TimeZone: save.run'))
        }}
      >
        <Field
          label={t('timeZone.label')}
          value={value}
          onChange={(v) => {
            setZone(v)
            setSaved(false)
          }}
          testId="time-zone-input"
          list="time-zone-list"
          maxLength={64}
          dir="ltr"
          autoComplete="off"
          hint={t('timeZone.hint', { zone: isolate(here) })}
          error={issueFor(save.error, 'timeZone')}
        />
        <datalist id="time-zone-list">
          {ZONES.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        <div className="row">
          {here !== current && (
            <button
              type="button"
              className="secondary"
              data-testid="time-zone-computer"
              onClick={() => {
                setZone(here)
                setSaved(false)
              }}
            >
              {t('timeZone.useComputer')}
            </button>
          )}
          <button type="submit" aria-disabled={save.pending} data-testid="time-zone-save">
            {t('timeZone.save')}
          </button>
        </div>
        {saved && (
          <p className="note" role="status" data-testid="time-zone-saved">
            {t('timeZone.saved', { zone: isolate(current) })}
          </p>
        )}
      </form>
      {!issueFor(save.error, 'timeZone') && <FormError error={save.error} testId="time-zone-error" />}
    </section>
  )
}
