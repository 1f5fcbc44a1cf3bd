/**
 * How to reach support without an account (issue 25): the provider's email and phone from the service's
 * configuration, and the way to sign in to ask in the app. Shown to a signed-out person, so Help is never a dead end.
 */
import { useTranslation } from 'react-i18next'
import { isolate } from '../../../../shared/i18n/bidi'
import { useQuery } from '../../bridge/dialtone-context'
import { FormError } from '../Field'
import { usePhoneNumbers } from '../../phone-numbers'

export function ContactSupport(): React.JSX.Element {
  const { t } = useTranslation()
  const phone = usePhoneNumbers()
  const contact = useQuery('help.contact')
  return (
    <section className="card" aria-labelledby="help-contact-title" data-testid="help-contact">
      <h2 id="help-contact-title">{t('help.contact.title')}</h2>
      <p>{t('help.contact.signIn')}</p>
      <p>
        <a href="#/account" data-testid="help-signin">
          {t('help.contact.signInLink')}
        </a>
      </p>
      <FormError error={contact.error} testId="help-contact-error" />
      {contact.data && (
        <dl className="facts">
          <dt>{t('help.contact.phone')}</dt>
          <dd>
            <a href={`tel:${contact.data.phone}`} data-testid="help-contact-phone" dir="ltr">
              {isolate(phone(contact.data.phone))}
            </a>
          </dd>
          <dt>{t('help.contact.email')}</dt>
          <dd>
            <a href={`mailto:${contact.data.email}`} data-testid="help-contact-email" dir="ltr">
              {isolate(contact.data.email)}
            </a>
          </dd>
        </dl>
      )}
    </section>
  )
}
