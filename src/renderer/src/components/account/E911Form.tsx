/**
 * The line's 911 address: where emergency services are sent, so the form says that first. The service checks
 * it against the number's country and region; a refusal shows beside the field it is about. Used by the
 * setup wizard (the last thing a new line needs) and by the line's card on the Account page.
 */
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useAction, useDialtone } from '../../bridge/dialtone-context'
import type { ResponseOf } from '../../../../shared/ipc/contract'
import { Field, FormError, IssueText, issueFor } from '../Field'
import { REGIONS, regionCode } from '../../../../shared/numbers/regions'
import { limit } from '../../limits'
import { logFailure } from '../../log'

type LineInfo = ResponseOf<'account.lines'>['lines'][number]
export interface AddressDraft {
  street: string
  unit: string
  city: string
  region: string
  postalCode: string
  country: 'US' | 'CA'
}

/**
 * A draft from an address on record (the line's, or the billing address typed at sign-up). Its region becomes the
 * picker's code when it names one ("NY", "new york"); otherwise the picker starts empty and the person chooses:
 * never a code guessed from the first letters ("New York" once became "NE", Nebraska, in a two-letter field).
 */
export const emptyAddress = (from?: Partial<AddressDraft> | null): AddressDraft => {
  const country = from?.country === 'CA' ? 'CA' : 'US'
  return {
    street: from?.street ?? '',
    unit: from?.unit ?? '',
    city: from?.city ?? '',
    region: regionCode(country, from?.region ?? '') ?? '',
    postalCode: from?.postalCode ?? '',
    country
  }
}

/** The state or province, picked from the country's list (named in full, its code beside it). */
function RegionPicker({
  draft,
  onChange,
  error
}: {
  draft: AddressDraft
  onChange: (region: string) => void
  error: ReturnType<typeof issueFor>
}): React.JSX.Element {
  const { t } = useTranslation()
  const id = useId()
  return (
    <div className="field">
      <label htmlFor={id}>{t('address.region')}</label>
      <select
        id={id}
        data-testid="e911-region"
        value={draft.region}
        required
        autoComplete="address-level1"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onChange(e.target.value)}
      >
        <option value="">{t('address.regionChoose')}</option>
        {Object.entries(REGIONS[draft.country]).map(([code, name]) => (
          <option key={code} value={code} dir="ltr">
            {`${name} (${code})`}
          </option>
        ))}
      </select>
      <IssueText issue={error} id={`${id}-error`} />
    </div>
  )
}

export function E911Form({
  lineId,
  initial,
  onSaved
}: {
  lineId: string
  initial: AddressDraft
  onSaved: (line: LineInfo) => void
}): React.JSX.Element {
  const { t } = useTranslation()
  const client = useDialtone()
  const [a, setA] = useState(initial)
  const save = useAction(() => client.invoke('account.setE911', { lineId, address: a }))
  const field = (k: 'street' | 'unit' | 'city' | 'postalCode', autoComplete: string, required = true) => (
    <Field
      label={t(`address.${k}`)}
      value={a[k]}
      onChange={(v) => setA({ ...a, [k]: v })}
      testId={`e911-${k}`}
      maxLength={limit('account.setE911', `address.${k}`)}
      autoComplete={autoComplete}
      required={required}
      // What a PSAP reads: a house number, a unit or a ZIP typed with a Persian keyboard, in 0-9.
      latinDigits={k !== 'city'}
      error={issueFor(save.error, `address.${k}`)}
    />
  )
  return (
    <form
      noValidate
      className="form"
      aria-labelledby={`e911-title-${lineId}`}
      data-testid="e911-form"
      onSubmit={(e) => {
        e.preventDefault()
        void save
          .run()
          .then((line) => line && onSaved(line))
          .catch(logFailure('E911Form: save.run'))
      }}
    >
      <h3 id={`e911-title-${lineId}`}>{t('e911.title')}</h3>
      <p className="muted">{t('e911.why')}</p>
      <div className="field-grid">
        {field('street', 'address-line1')}
        {field('unit', 'address-line2', false)}
        {field('city', 'address-level2')}
        <RegionPicker
          draft={a}
          onChange={(region) => setA({ ...a, region })}
          error={issueFor(save.error, 'address.region')}
        />
        {field('postalCode', 'postal-code')}
        <div className="field">
          <label htmlFor={`e911-country-${lineId}`}>{t('address.country')}</label>
          <select
            id={`e911-country-${lineId}`}
            data-testid="e911-country"
            value={a.country}
            onChange={(e) => {
              // A state is no province: the region is chosen again for the other country.
              const country = e.target.value === 'CA' ? 'CA' : 'US'
              setA({ ...a, country, region: regionCode(country, a.region) ?? '' })
            }}
          >
            <option value="US">{t('address.countries.US')}</option>
            <option value="CA">{t('address.countries.CA')}</option>
          </select>
        </div>
      </div>
      <FormError error={save.error} testId="e911-error" />
      <button type="submit" aria-disabled={save.pending} data-testid="e911-save">
        {t('e911.save')}
      </button>
    </form>
  )
}
