/**
 * Start Trial, the activation step's first way: the form (who the account is for, the area code, the terms),
 * then the step where the 6-digit code from the email is entered, a new one asked for, or the details changed.
 * The step and the answers survive a reload and a restart of the app (activation-draft.ts keeps them for 24 hours,
 * never the password or the code), so either, while the email is on its way, comes back to the code step for the
 * same trial request.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { matchLanguage } from '../../../../shared/i18n/languages'
import { useAction, useDialtone } from '../../bridge/dialtone-context'
import { Field, FormError, issueFor } from '../Field'
import { useAreaCodeCheck } from './AreaCode'
import { limit } from '../../limits'
import type { ContactDraft } from './contact-draft'
import { forgetActivationDraft, keepActivationDraft, readActivationDraft } from './activation-draft'
import { ContactFields, billingAddress, useAcceptances } from './ContactFields'
import { logFailure } from '../../log'
import { DevMailboxHint } from '../DevMailboxHint'

/** The service's reasons after which only a new code helps (src/server/identity/one-time.ts). */
const CODE_NEEDS_RESEND = ['code-attempts', 'code-expired'] as const

/** What both activation forms are given: the dongle, the shared contact draft, and what to do once activated. */
export interface ActivationFormProps {
  serial: string
  model: string
  contact: ContactDraft
  setContact: (c: ContactDraft) => void
  onActivated: () => void
}

export function TrialForm({
  serial,
  model,
  contact,
  setContact,
  onActivated
}: ActivationFormProps): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const client = useDialtone()
  const acceptances = useAcceptances(contact)
  const area = useAreaCodeCheck(contact.areaCode)
  // The trial waiting for its code survives a reload and a restart (activation-draft.ts; never the code).
  const [trialId, setPending] = useState<string | null>(() => readActivationDraft(serial)?.trialId ?? null)
  const setTrialId = (next: string | null): void => {
    keepActivationDraft(serial, { contact, trialId: next })
    setPending(next)
  }
  const [code, setCode] = useState('')
  const start = useAction(() =>
    client.invoke('account.startTrial', {
      serial,
      model,
      name: contact.name,
      email: contact.email,
      password: contact.password,
      billingAddress: billingAddress(contact),
      areaCode: contact.areaCode,
      acceptances,
      // The account's emails and texts (its code first) in the app's language; changed later in Profile.
      language: matchLanguage([i18n.language])
    })
  )
  const activate = useAction(() => client.invoke('account.activateTrial', { trialId: trialId ?? '', code }))
  const resend = useAction(() => client.invoke('account.resendTrialCode', { trialId: trialId ?? '' }))
  // A locked (too many wrong tries) or expired code only a new one mends: say so, and what to press.
  const needsNewCode = CODE_NEEDS_RESEND.find((r) => r === activate.error?.reason)
  if (trialId)
    return (
      <form
        noValidate
        className="form"
        data-testid="trial-code-form"
        onSubmit={(e) => {
          e.preventDefault()
          void activate
            .run()
            .then((r) => {
              if (!r) return
              forgetActivationDraft(serial)
              onActivated()
            })
            .catch(logFailure('Activation: activate.run'))
        }}
      >
        <p className="note" role="status" data-testid={resend.data ? 'trial-code-resent' : 'trial-code-sent'}>
          {t(resend.data ? 'activate.codeResent' : 'activate.codeSent', { email: contact.email })}
        </p>
        <DevMailboxHint />
        <Field
          label={t('activate.code')}
          value={code}
          onChange={setCode}
          testId="trial-code"
          latinDigits
          maxLength={limit('account.activateTrial', 'code')}
          inputMode="numeric"
          autoComplete="one-time-code"
          dir="ltr"
          required
          error={issueFor(activate.error, 'code')}
        />
        {needsNewCode ? (
          <p className="banner error" role="alert" data-testid="trial-code-locked">
            {t(`activate.needsNewCode.${needsNewCode}`)}
          </p>
        ) : (
          <FormError error={activate.error} testId="trial-code-error" />
        )}
        <FormError error={resend.error} testId="trial-resend-error" />
        <div className="row-actions">
          <button type="submit" aria-disabled={activate.pending} data-testid="trial-activate">
            {t('activate.activate')}
          </button>
          <button
            type="button"
            className="secondary"
            aria-disabled={resend.pending}
            data-testid="trial-resend"
            onClick={() =>
              void resend
                .run()
                .then((r) => {
                  if (!r) return
                  // The new code replaces the old one: the refusal about the old one no longer applies.
                  activate.clear()
                  setCode('')
                })
                .catch(logFailure('Activation: resend.run'))
            }
          >
            {t('activate.resend')}
          </button>
          {/* Leaving the code step (a wrong email, an expired request): the form again, with the answers. */}
          <button
            type="button"
            className="secondary"
            data-testid="trial-change-details"
            onClick={() => {
              activate.clear()
              resend.clear()
              setCode('')
              setTrialId(null)
            }}
          >
            {t('activate.changeDetails')}
          </button>
        </div>
      </form>
    )
  return (
    <form
      noValidate
      className="form"
      data-testid="trial-form"
      onSubmit={(e) => {
        e.preventDefault()
        // A press while the trial is being started does nothing (no second area code lookup either).
        if (start.pending) return
        // The area code again, right before anything is sent: no email for a line that cannot get a number.
        void area
          .confirm()
          .then(async (free) => {
            const r = free ? await start.run() : undefined
            // Refused (taken meanwhile, say): the field says again what the area code has now.
            if (r) setTrialId(r.trialId)
            else if (free) await area.confirm()
          })
          .catch(logFailure('Activation: area.confirm'))
      }}
    >
      <p className="muted">{t('activate.trialHint')}</p>
      <ContactFields c={contact} set={setContact} error={start.error} area={area} />
      <FormError error={start.error} testId="trial-error" />
      <button type="submit" aria-disabled={start.pending} data-testid="trial-start">
        {t('activate.startTrial')}
      </button>
    </form>
  )
}
