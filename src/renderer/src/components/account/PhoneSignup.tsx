/**
 * Sign-up with a phone number: the number (US or Canada), a 6-digit code by SMS (the service answers the same
 * whether or not the number has an account; its owner gets an SMS instead of a code), then the code, a name, an
 * email and a password with its rules said first. Success signs this app in (main keeps the session, and the
 * Account page follows main's session event). "I already have a code" skips the SMS for someone who has one;
 * "Text me a new code" beside the code replaces one that expired, was tried too often or never came.
 * Every refusal is said beside its field, and nothing typed is cleared.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { matchLanguage } from '../../../../shared/i18n/languages'
import { ONE_TIME_CODE_MINUTES } from '../../../../shared/api/identity'
import { useAction, useDialtone } from '../../bridge/dialtone-context'
import { Field, FormError, RemedyLink, issueFor } from '../Field'
import { limit } from '../../limits'
import { logFailure } from '../../log'
import { NewPassword } from './NewPassword'
import { unlessField } from './PasswordRules'
import { usePhoneNumbers } from '../../phone-numbers'
import { DevMailboxHint } from '../DevMailboxHint'
import { PhoneField } from '../PhoneField'

/** How long an SMS code works, as the person writes numbers. */
/** A number, not a string: it picks the sentence's plural form, and i18n writes it in the language's digits. */
function useMinutes(): number {
  return ONE_TIME_CODE_MINUTES
}

export function PhoneSignup({ onBack }: { onBack: () => void }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const client = useDialtone()
  const [phone, setPhone] = useState('')
  const [step, setStep] = useState<'number' | 'code'>('number')
  // The code's SMS, and later the account's messages, in the app's language.
  const start = useAction(() =>
    client.invoke('account.startPhoneSignup', { phone, language: matchLanguage([i18n.language]) })
  )
  const minutes = useMinutes()
  if (step === 'code')
    return (
      <FinishPhoneSignup
        phone={phone}
        sent={start.data !== undefined}
        onOtherNumber={() => setStep('number')}
        onBack={onBack}
      />
    )
  return (
    <form
      noValidate
      className="card form"
      aria-labelledby="phone-signup-title"
      data-testid="phone-signup"
      onSubmit={(e) => {
        e.preventDefault()
        void start
          .run()
          .then((r) => r && setStep('code'))
          .catch(logFailure('PhoneSignup: start.run'))
      }}
    >
      <h2 id="phone-signup-title">{t('account.phoneSignup.title')}</h2>
      <p className="muted">{t('account.phoneSignup.hint', { minutes, count: minutes })}</p>
      <PhoneField
        label={t('account.phoneSignup.phone')}
        type="tel"
        value={phone}
        onChange={setPhone}
        testId="phone-number"
        maxLength={limit('account.startPhoneSignup', 'phone')}
        autoComplete="tel"
        required
        error={issueFor(start.error, 'phone')}
      />
      {/* A number refused beside the field whose sentence names a place (outside the US and Canada: the Device
          page, where activating the dongle makes an account by email) has its link under the field. */}
      <RemedyLink
        error={issueFor(start.error, 'phone') ? start.error : undefined}
        testId="phone-error-remedy"
      />
      <FormError error={unlessField(start.error, 'phone')} testId="phone-error" />
      <div className="row-actions">
        <button type="submit" aria-disabled={start.pending} data-testid="phone-send">
          {t('account.phoneSignup.send')}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => setStep('code')}
          data-testid="phone-have-code"
        >
          {t('account.phoneSignup.haveCode')}
        </button>
        <button type="button" className="secondary" onClick={onBack} data-testid="phone-back">
          {t('account.backToSignIn')}
        </button>
      </div>
    </form>
  )
}

function FinishPhoneSignup({
  phone,
  sent,
  onOtherNumber,
  onBack
}: {
  phone: string
  sent: boolean
  onOtherNumber: () => void
  onBack: () => void
}): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const shown = usePhoneNumbers()
  const client = useDialtone()
  const [code, setCode] = useState('')
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [number, setNumber] = useState(phone)
  const minutes = useMinutes()
  // A code expired, tried too often or never come: the refusal says to ask for a new one, here.
  const resend = useAction(() =>
    client.invoke('account.startPhoneSignup', { phone: number, language: matchLanguage([i18n.language]) })
  )
  // Where the last new code went (the number may be edited after), and whether it came after the code's refusal,
  // which then no longer stands ("expired: ask for a new one" beside "we sent a new code").
  const [resentTo, setResentTo] = useState<string | null>(null)
  const [refusalAnswered, setRefusalAnswered] = useState(false)
  const finish = useAction(() =>
    client.invoke('account.finishPhoneSignup', {
      phone: number,
      code,
      name,
      email,
      password,
      language: matchLanguage([i18n.language])
    })
  )
  return (
    <form
      noValidate
      className="card form"
      aria-labelledby="phone-finish-title"
      data-testid="phone-finish"
      onSubmit={(e) => {
        e.preventDefault()
        setRefusalAnswered(false)
        void finish.run().catch(logFailure('PhoneSignup: finish.run'))
      }}
    >
      <h2 id="phone-finish-title">{t('account.phoneSignup.title')}</h2>
      {sent ? (
        <p className="note" role="status" data-testid="phone-sent">
          {t('account.phoneSignup.sent', { phone: shown(phone), minutes, count: minutes })}
        </p>
      ) : (
        <p className="muted">{t('account.phoneSignup.enterCode')}</p>
      )}
      {sent && <DevMailboxHint />}
      {/* Someone who already has a code has not typed the number yet; after "Text me a code" it is settled. */}
      {!sent && (
        <PhoneField
          label={t('account.phoneSignup.phone')}
          type="tel"
          value={number}
          onChange={setNumber}
          testId="phone-finish-number"
          maxLength={limit('account.finishPhoneSignup', 'phone')}
          autoComplete="tel"
          required
          error={issueFor(finish.error, 'phone') ?? issueFor(resend.error, 'phone')}
        />
      )}
      <Field
        label={t('account.phoneSignup.code')}
        value={code}
        onChange={setCode}
        testId="phone-code"
        latinDigits
        maxLength={limit('account.finishPhoneSignup', 'code')}
        inputMode="numeric"
        autoComplete="one-time-code"
        dir="ltr"
        required
        error={refusalAnswered ? undefined : issueFor(finish.error, 'code')}
      />
      <Field
        label={t('account.phoneSignup.name')}
        value={name}
        onChange={setName}
        testId="phone-name"
        maxLength={limit('account.finishPhoneSignup', 'name')}
        autoComplete="name"
        required
        error={issueFor(finish.error, 'name')}
      />
      <Field
        label={t('account.phoneSignup.email')}
        type="email"
        value={email}
        onChange={setEmail}
        testId="phone-email"
        maxLength={limit('account.finishPhoneSignup', 'email')}
        autoComplete="email"
        dir="ltr"
        required
        hint={t('account.phoneSignup.emailHint')}
        error={issueFor(finish.error, 'email')}
      />
      <NewPassword
        label={t('account.password')}
        value={password}
        onChange={setPassword}
        testId="phone-password"
        maxLength={limit('account.finishPhoneSignup', 'password')}
        error={issueFor(finish.error, 'password')}
      />
      {resend.data && resentTo && (
        <p className="note" role="status" data-testid="phone-resent">
          {t('account.phoneSignup.resent', { phone: shown(resentTo) })}
        </p>
      )}
      {/* A refusal of the number is said beside its field when it is shown (someone who had a code typed it). */}
      <FormError
        error={sent ? resend.error : unlessField(resend.error, 'phone')}
        testId="phone-resend-error"
      />
      <FormError
        error={unlessField(finish.error, 'phone', 'code', 'name', 'email', 'password')}
        testId="phone-finish-error"
      />
      <div className="row-actions">
        <button type="submit" aria-disabled={finish.pending} data-testid="phone-submit">
          {t('account.phoneSignup.submit')}
        </button>
        <button
          type="button"
          className="secondary"
          aria-disabled={resend.pending}
          onClick={() => {
            const to = number
            void resend
              .run()
              .then((r) => {
                if (!r) return
                setResentTo(to)
                setRefusalAnswered(true)
              })
              .catch(logFailure('PhoneSignup: resend.run'))
          }}
          data-testid="phone-resend"
        >
          {t('account.phoneSignup.resend')}
        </button>
        <button type="button" className="secondary" onClick={onOtherNumber} data-testid="phone-other-number">
          {t('account.phoneSignup.otherNumber')}
        </button>
        <button type="button" className="secondary" onClick={onBack} data-testid="phone-finish-back">
          {t('account.backToSignIn')}
        </button>
      </div>
    </form>
  )
}
