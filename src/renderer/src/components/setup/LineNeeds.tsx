/**
 * The setup wizard's activation, once signed in and the dongle is this account's: what its line still needs (the
 * 911 address) and the new account's email code beside it. Loaded only then (Activation.tsx), so the first
 * screen of a new start does not carry these forms.
 */
import { useTranslation } from 'react-i18next'
import { formatList } from '../../format-intl'
import { useQuery } from '../../bridge/dialtone-context'
import { E911Form, emptyAddress } from '../account/E911Form'
import { ConfirmEmailPrompt } from '../account/EmailConfirm'
import { FormError } from '../Field'
import type { ContactDraft } from './contact-draft'
import { billingAddress } from './ContactFields'
import { usePhoneNumbers } from '../../phone-numbers'
import { RENEW } from '../../remedies'

/**
 * Signed in and the dongle is ours: ask for what its line still needs (the 911 address), then go on; what is had
 * elsewhere (paid service, a number) is named with a link to the Account page. Also where a restart
 * mid-activation lands, so nothing typed before is needed.
 */
export function LineNeeds({
  serial,
  onActivated,
  fallback
}: {
  serial: string
  onActivated: () => void
  fallback: ContactDraft
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const phone = usePhoneNumbers()
  const lines = useQuery('account.lines')
  const profile = useQuery('account.profile')
  const line = lines.data?.lines.find((l) => l.deviceSerial === serial)
  if (!line) return <FormError error={lines.error} testId="line-error" />
  // A new account's email waits for its code (sent at activation); asked here beside the line, never blocking it.
  const confirm = <ConfirmEmailPrompt profile={profile} />
  if (line.missing.includes('e911')) {
    // Prefilled from what was typed here, or (after a restart) from the account's billing address.
    if (!fallback.street && profile.loading) return <p className="muted">{t('status.checking')}</p>
    const billing = fallback.street ? billingAddress(fallback) : profile.data?.contact.billingAddress
    return (
      <>
        {confirm}
        <E911Form
          lineId={line.id}
          initial={emptyAddress({ ...billing, country: billing?.country === 'CA' ? 'CA' : 'US' })}
          onSaved={() => onActivated()}
        />
      </>
    )
  }
  return (
    <>
      {confirm}
      <p className="note" data-testid="line-waiting">
        {line.missing.length > 0
          ? t('lines.missing', {
              list: formatList(
                line.missing.map((m) => t(`lines.needs.${m}`)),
                i18n.language
              )
            })
          : t('activate.lineReady', { number: line.number ? phone(line.number) : '' })}
      </p>
      {/* Paid service (a dongle taken over or moved has none) or a number is had on the Account page. */}
      {line.missing.length > 0 && (
        <p>
          <a href={RENEW.href} data-testid="line-waiting-remedy">
            {t(line.missing.includes('coverage') ? RENEW.label : 'line.openAccount')}
          </a>
        </p>
      )}
    </>
  )
}
