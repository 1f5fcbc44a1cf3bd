/**
 * A billing address's fields (street, city, state or province, postal code, country), laid out and limited the
 * same wherever one is typed: the setup wizard's new account and the Profile tab's contact details. Each field's
 * maxLength comes from the command's schema at `path`.billingAddress…, and its refusal sits under it.
 */
import { useTranslation } from 'react-i18next'
import type { DialtoneError } from '../../../shared/ipc/errors'
import type { CommandName } from '../../../shared/ipc/contract'
import { Field, issueFor } from './Field'
import { limit } from '../limits'

export interface AddressDraft {
  street: string
  city: string
  region: string
  postalCode: string
  country: string
}

export const ADDRESS_KEYS = ['street', 'city', 'region', 'postalCode', 'country'] as const

const AUTOCOMPLETE: Record<(typeof ADDRESS_KEYS)[number], string> = {
  street: 'address-line1',
  city: 'address-level2',
  region: 'address-level1',
  postalCode: 'postal-code',
  country: 'country'
}

export function AddressFields({
  value,
  onChange,
  error,
  command,
  path,
  testIdPrefix,
  required = true
}: {
  value: AddressDraft
  onChange: (next: AddressDraft) => void
  error: DialtoneError | undefined
  /** The command the address is sent with, and where in its request (e.g. 'billingAddress'). */
  command: CommandName
  path: string
  testIdPrefix: string
  required?: boolean
}): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <>
      {ADDRESS_KEYS.map((k) => (
        <Field
          key={k}
          label={t(`contact.${k}`)}
          value={value[k]}
          onChange={(v) => onChange({ ...value, [k]: v })}
          testId={`${testIdPrefix}-${k}`}
          maxLength={limit(command, `${path}.${k}`)}
          required={required}
          autoComplete={AUTOCOMPLETE[k]}
          // A house number or a ZIP typed with a Persian keyboard is the same address, in the digits it is sent in.
          latinDigits={k === 'street' || k === 'postalCode'}
          {...(k === 'country' ? { dir: 'ltr' } : {})}
          error={issueFor(error, `${path}.${k}`)}
        />
      ))}
    </>
  )
}
