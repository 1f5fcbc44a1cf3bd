/**
 * The 911 address test (933): while a call to 933 is up, the screen says which address the line has on record —
 * the one the SIP server sends with an emergency call (the service builds the location from it) — or that there
 * is none. The address is the person's own typing: isolated so a right-to-left page keeps its order.
 */
import { useTranslation } from 'react-i18next'
import { isolate } from '../../../../shared/i18n/bidi'
import { useQuery } from '../../bridge/dialtone-context'
import { addressText } from '../../../../shared/numbers/address-text'

export function AddressOnRecord({ number }: { number: string | null }): React.JSX.Element | null {
  const { t } = useTranslation()
  const lines = useQuery('account.lines')
  const line = lines.data?.lines.find((l) => l.number === number && l.status !== 'closed')
  if (!lines.data) return null
  const e = line?.e911?.address
  return (
    <p data-testid="address-on-record" aria-live="polite">
      {e
        ? t('phone.addressOnRecord', {
            address: isolate(addressText(e))
          })
        : t('phone.addressNone')}
    </p>
  )
}
