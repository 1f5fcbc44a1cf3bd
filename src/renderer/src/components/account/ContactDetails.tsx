/**
 * Who the account is for: name, company, contact phone and billing address, shown and edited (a second-hand
 * dongle's new owner puts their own details here, seed 001). Editing keeps what was typed when the service
 * refuses it (the reason sits under the field), Cancel puts back what the account holds, and a save says so.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type Query, useAction, useDialtone } from '../../bridge/dialtone-context'
import { isolate } from '../../../../shared/i18n/bidi'
import { AddressFields, type AddressDraft } from '../AddressFields'
import { Field, FormError, issueFor } from '../Field'
import { limit } from '../../limits'
import { logFailure } from '../../log'
import type { Profile } from './EmailConfirm'
import { usePhoneNumbers } from '../../phone-numbers'
import { PhoneField } from '../PhoneField'
import { addressText } from '../../../../shared/numbers/address-text'

type Contact = Profile['contact']
interface Draft extends AddressDraft {
  name: string
  company: string
  phone: string
}

const draftOf = (c: Contact): Draft => ({
  name: c.name,
  company: c.company ?? '',
  phone: c.phone ?? '',
  street: c.billingAddress?.street ?? '',
  city: c.billingAddress?.city ?? '',
  region: c.billingAddress?.region ?? '',
  postalCode: c.billingAddress?.postalCode ?? '',
  country: c.billingAddress?.country ?? 'US'
})

/** What to send: empty optional fields clear them; an address left wholly empty is no address. */
function patchOf(d: Draft) {
  const address = {
    street: d.street,
    city: d.city,
    region: d.region,
    postalCode: d.postalCode,
    country: d.country
  }
  const noAddress = [d.street, d.city, d.region, d.postalCode].every((v) => v.trim() === '')
  return {
    name: d.name,
    company: d.company.trim() === '' ? null : d.company,
    phone: d.phone.trim() === '' ? null : d.phone,
    billingAddress: noAddress ? null : address
  }
}

export function ContactDetails({ profile }: { profile: Query<Profile> }): React.JSX.Element | null {
  const { t } = useTranslation()
  const phone = usePhoneNumbers()
  const [editing, setEditing] = useState(false)
  const [saved, setSaved] = useState(false)
  const contact = profile.data?.contact
  if (!contact) return null
  const a = contact.billingAddress
  const none = <span className="muted">{t('profile.contact.none')}</span>
  return (
    <section className="card" aria-labelledby="contact-title" data-testid="contact-details">
      <h2 id="contact-title">{t('profile.contact.title')}</h2>
      <p className="muted">{t('profile.contact.why')}</p>
      {saved && (
        <p className="note" role="status" data-testid="contact-saved">
          {t('profile.contact.saved')}
        </p>
      )}
      {!editing ? (
        <>
          <dl className="facts" data-testid="contact-view">
            <dt>{t('contact.name')}</dt>
            <dd data-testid="contact-view-name">{contact.name}</dd>
            <dt>{t('profile.contact.company')}</dt>
            <dd data-testid="contact-view-company">{contact.company ?? none}</dd>
            <dt>{t('profile.contact.phone')}</dt>
            <dd data-testid="contact-view-phone">{contact.phone ? isolate(phone(contact.phone)) : none}</dd>
            <dt>{t('profile.contact.address')}</dt>
            <dd data-testid="contact-view-address">{a ? addressText(a) : none}</dd>
          </dl>
          <button
            type="button"
            className="secondary"
            data-testid="contact-edit"
            onClick={() => {
              setSaved(false)
              setEditing(true)
            }}
          >
            {t('profile.contact.edit')}
          </button>
        </>
      ) : (
        <ContactForm
          initial={draftOf(contact)}
          onCancel={() => setEditing(false)}
          onSaved={(p) => {
            profile.update(() => p)
            setEditing(false)
            setSaved(true)
          }}
        />
      )}
    </section>
  )
}

/** The edit form, mounted afresh each time (so an earlier refusal is not shown again). */
function ContactForm({
  initial,
  onSaved,
  onCancel
}: {
  initial: Draft
  onSaved: (p: Profile) => void
  onCancel: () => void
}): React.JSX.Element {
  const { t } = useTranslation()
  const client = useDialtone()
  const [draft, setDraft] = useState(initial)
  const save = useAction((d: Draft) => client.invoke('account.updateContact', patchOf(d)))
  return (
    <form
      noValidate
      className="form"
      data-testid="contact-form"
      onSubmit={(ev) => {
        ev.preventDefault()
        void save
          .run(draft)
          .then((p) => p && onSaved(p))
          .catch(logFailure('ContactDetails: save.run'))
      }}
    >
      <div className="field-grid">
        <Field
          label={t('contact.name')}
          value={draft.name}
          onChange={(name) => setDraft({ ...draft, name })}
          testId="profile-name"
          maxLength={limit('account.updateContact', 'name')}
          autoComplete="name"
          required
          error={issueFor(save.error, 'name')}
        />
        <Field
          label={t('profile.contact.company')}
          value={draft.company}
          onChange={(company) => setDraft({ ...draft, company })}
          testId="profile-company"
          maxLength={limit('account.updateContact', 'company')}
          autoComplete="organization"
          error={issueFor(save.error, 'company')}
        />
        <PhoneField
          label={t('profile.contact.phone')}
          value={draft.phone}
          onChange={(phone) => setDraft({ ...draft, phone })}
          testId="profile-phone"
          type="tel"
          maxLength={limit('account.updateContact', 'phone')}
          autoComplete="tel"
          error={issueFor(save.error, 'phone')}
        />
        <AddressFields
          value={draft}
          onChange={(next) => setDraft({ ...draft, ...next })}
          error={save.error}
          command="account.updateContact"
          path="billingAddress"
          testIdPrefix="profile"
          required={false}
        />
      </div>
      <FormError error={save.error} testId="contact-error" />
      <div className="row">
        <button type="submit" data-testid="contact-save" aria-disabled={save.pending}>
          {t('profile.contact.save')}
        </button>
        <button type="button" className="secondary" data-testid="contact-cancel" onClick={onCancel}>
          {t('profile.contact.cancel')}
        </button>
      </div>
    </form>
  )
}
