/**
 * Who the new account is for: name, email, password and billing address, plus the area code the number should
 * come from and the two acceptances (terms of service; the 911 disclosure, shown in full, because a dongle's 911
 * call goes to the address registered, not to where the computer is). Shared by Start Trial and by activating
 * a purchased dongle on a new account.
 */
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import type { DialtoneError } from '../../../../shared/ipc/errors'
import { useQuery } from '../../bridge/dialtone-context'
import { AddressFields } from '../AddressFields'
import { Field, IssueText, issueFor } from '../Field'
import { limit } from '../../limits'
import { type AreaCodeCheck, AreaCodeField } from './AreaCode'
import { E911Disclosure } from './E911Disclosure'
import { TermsOfService } from './TermsOfService'

import type { ContactDraft } from './contact-draft'

export function billingAddress(c: ContactDraft) {
  return { street: c.street, city: c.city, region: c.region, postalCode: c.postalCode, country: c.country }
}

/** The acceptances to send: the versions the person was shown, or none (main then says what is missing). */
export function useAcceptances(c: ContactDraft): { termsVersion: string; e911DisclosureVersion: string } {
  const legal = useQuery('account.legal').data
  return {
    termsVersion: c.terms ? (legal?.termsVersion ?? '') : '',
    e911DisclosureVersion: c.e911 ? (legal?.e911DisclosureVersion ?? '') : ''
  }
}

export function ContactFields({
  c,
  set,
  error,
  area,
  account = true
}: {
  c: ContactDraft
  set: (c: ContactDraft) => void
  error: DialtoneError | undefined
  /** The area code's check with the service (the form asks it again before sending). */
  area: AreaCodeCheck
  /** false: the dongle joins the signed-in account; only the area code and acceptances are asked. */
  account?: boolean
}): React.JSX.Element {
  const { t } = useTranslation()
  const acceptId = useId()
  const termsIssue = issueFor(error, 'acceptances.termsVersion')
  const e911Issue = issueFor(error, 'acceptances.e911DisclosureVersion')
  const legal = useQuery('account.legal').data
  const text = (
    k: keyof ContactDraft,
    path: string,
    extra: Omit<React.InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'> = {}
  ) => (
    <Field
      label={t(`contact.${k}`)}
      value={String(c[k])}
      onChange={(v) => set({ ...c, [k]: v })}
      testId={`contact-${k}`}
      maxLength={limit('account.startTrial', path)}
      required
      {...extra}
      error={issueFor(error, path)}
    />
  )
  return (
    <>
      {account && (
        <div className="field-grid">
          {text('name', 'name', { autoComplete: 'name' })}
          {text('email', 'email', { type: 'email', autoComplete: 'email', dir: 'ltr' })}
          {text('password', 'password', { type: 'password', autoComplete: 'new-password' })}
          <AddressFields
            value={c}
            onChange={(a) => set({ ...c, ...a })}
            error={error}
            command="account.startTrial"
            path="billingAddress"
            testIdPrefix="contact"
          />
        </div>
      )}
      <AreaCodeField
        value={c.areaCode}
        onChange={(areaCode) => set({ ...c, areaCode })}
        check={area}
        error={issueFor(error, 'areaCode')}
      />
      <E911Disclosure version={legal?.e911DisclosureVersion} />
      <TermsOfService
        version={legal?.termsVersion}
        accepted={c.terms}
        onAccept={(terms) => set({ ...c, terms })}
        refusedBy={termsIssue ? `${acceptId}-terms` : undefined}
      />
      <IssueText issue={termsIssue} id={`${acceptId}-terms`} />
      <label className="inline">
        <input
          type="checkbox"
          data-testid="contact-e911"
          checked={c.e911}
          // Each box carries its own refusal (WCAG 3.3.1): said when it has the focus, not only shown.
          aria-invalid={e911Issue ? true : undefined}
          aria-describedby={e911Issue ? `${acceptId}-e911` : undefined}
          onChange={(e) => set({ ...c, e911: e.target.checked })}
        />
        {t('contact.acceptE911')}
      </label>
      <IssueText issue={e911Issue} id={`${acceptId}-e911`} />
      {/* Any other refusal of the acceptances (an outdated version), under both. */}
      <IssueText
        issue={
          termsIssue || e911Issue ? undefined : error?.issues.find((i) => i.path.startsWith('acceptances'))
        }
      />
    </>
  )
}
