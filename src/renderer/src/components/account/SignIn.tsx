/**
 * Signing in with an email address or the line's phone number, and the ways in for someone who cannot: "Forgot
 * password?" (ForgotPassword.tsx), "I have a reset code" (ResetPassword.tsx, also straight from here for someone
 * who already has the email), "Sign up with a phone number" (PhoneSignup.tsx) and "I was invited to a business
 * account" (../business/JoinBusiness.tsx, also opened by its address #/account/join). Main keeps the session; the
 * page only learns that it is signed in.
 */
import { lazy, Suspense, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useAction, useDialtone } from '../../bridge/dialtone-context'
import { Field, FormError, issueFor } from '../Field'
import { limit } from '../../limits'
import { logFailure } from '../../log'
import { joinAsked } from '../business/join-address'
import { Loading } from '../Loading'

// The other ways in are chunks of their own, loaded when picked: the form is on the first page of a new start
// (the setup wizard's sign-in), they are not.
const ForgotPassword = lazy(() => import('./ForgotPassword').then((m) => ({ default: m.ForgotPassword })))
const ResetPassword = lazy(() => import('./ResetPassword').then((m) => ({ default: m.ResetPassword })))
const PhoneSignup = lazy(() => import('./PhoneSignup').then((m) => ({ default: m.PhoneSignup })))
const JoinBusiness = lazy(() => import('../business/JoinBusiness').then((m) => ({ default: m.JoinBusiness })))
const loading = (view: React.JSX.Element): React.JSX.Element => (
  <Suspense fallback={<Loading />}>{view}</Suspense>
)

type View = 'signin' | 'forgot' | 'reset' | 'phone' | 'join'

export function SignIn(): React.JSX.Element {
  const { t } = useTranslation()
  const client = useDialtone()
  const [identifier, setIdentifier] = useState('')
  const [password, setPassword] = useState('')
  const [view, setView] = useState<View>(() => (joinAsked(window.location.hash) ? 'join' : 'signin'))
  const [resetDone, setResetDone] = useState(false)
  const signIn = useAction(() => client.invoke('account.signIn', { identifier, password }))
  const back = (): void => setView('signin')
  // The invitation email names the join screen's address: opened while signed out, it shows that screen.
  useEffect(() => {
    const onHash = (): void => {
      if (joinAsked(window.location.hash)) setView('join')
    }
    window.addEventListener('hashchange', onHash)
    return () => window.removeEventListener('hashchange', onHash)
  }, [])

  if (view === 'forgot')
    return loading(
      <ForgotPassword
        identifier={identifier}
        onIdentifier={setIdentifier}
        onHaveCode={() => setView('reset')}
        onBack={back}
      />
    )
  if (view === 'reset')
    return loading(
      <ResetPassword
        onDone={() => {
          setResetDone(true)
          setPassword('')
          signIn.clear()
          setView('signin')
        }}
        onForgot={() => setView('forgot')}
        onBack={back}
      />
    )
  if (view === 'phone') return loading(<PhoneSignup onBack={back} />)
  if (view === 'join')
    return loading(<JoinBusiness email={identifier} onEmail={setIdentifier} onBack={back} />)

  return (
    <form
      noValidate
      className="card form"
      aria-labelledby="signin-title"
      data-testid="signin"
      onSubmit={(e) => {
        e.preventDefault()
        void signIn.run().catch(logFailure('SignIn: signIn.run'))
      }}
    >
      <h2 id="signin-title">{t('account.signInTitle')}</h2>
      {resetDone && (
        <p className="note" role="status" data-testid="signin-reset-done">
          {t('account.reset.done')}
        </p>
      )}
      <p className="muted">{t('account.signInHint')}</p>
      <Field
        label={t('account.identifier')}
        value={identifier}
        onChange={setIdentifier}
        testId="signin-identifier"
        latinDigits
        maxLength={limit('account.signIn', 'identifier')}
        autoComplete="username"
        dir="ltr"
        required
        error={issueFor(signIn.error, 'identifier')}
      />
      <Field
        label={t('account.password')}
        type="password"
        value={password}
        onChange={setPassword}
        testId="signin-password"
        maxLength={limit('account.signIn', 'password')}
        autoComplete="current-password"
        required
        error={issueFor(signIn.error, 'password')}
      />
      <FormError error={signIn.error} testId="signin-error" />
      <div className="row-actions">
        <button type="submit" aria-disabled={signIn.pending} data-testid="signin-submit">
          {t('account.signIn')}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => setView('forgot')}
          data-testid="signin-forgot"
        >
          {t('account.forgot')}
        </button>
      </div>
      <div className="row-actions">
        <button
          type="button"
          className="secondary"
          onClick={() => setView('reset')}
          data-testid="signin-reset"
        >
          {t('account.reset.open')}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => setView('phone')}
          data-testid="signin-phone"
        >
          {t('account.phoneSignup.open')}
        </button>
      </div>
      <div className="row-actions">
        <button type="button" className="secondary" onClick={() => setView('join')} data-testid="signin-join">
          {t('business.join.open')}
        </button>
      </div>
    </form>
  )
}
