/**
 * The account's own data (Profile): "Download my data", a JSON file of what the service holds about the account,
 * saved the way every file of the app is (../../download.ts); and "Close my account": what closing does is said
 * before the password is asked (the lines close and their numbers are released, what happens to the balance, what
 * is erased and what the law keeps, no undo after the grace period), and the password schedules it
 * (src/server/identity/closure.ts). While a closure is scheduled the form gives way to ClosingBanner's words on top
 * of the Account page. Only the account's own sign-in may close it; a business's member downloads their own sign-in's
 * data and is told where to ask for its erasure.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { AccountClosure } from '../../../../shared/api/privacy'
import { isolate } from '../../../../shared/i18n/bidi'
import { type Query, useAction, useDialtone, useQuery } from '../../bridge/dialtone-context'
import { download } from '../../download'
import { formatInstant, formatList, formatMoney } from '../../format'
import { limit } from '../../limits'
import { logFailure } from '../../log'
import { usePhoneNumbers } from '../../phone-numbers'
import { useMayCall } from '../business/role'
import { SUPPORT } from '../../remedies'
import { Field, FormError, issueFor } from '../Field'

/** The account's closure, asked only by the account's own sign-in (a member may not call the route). */
export function useClosure(): Query<AccountClosure> | null {
  const owner = useMayCall('accountClosure', 'closeAccount', 'keepAccount')
  const args: [] | [null] = owner ? [] : [null]
  const closure = useQuery('account.closure', ...args)
  return owner ? closure : null
}

export function YourData({ closure }: { closure: Query<AccountClosure> | null }): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <section className="card" aria-labelledby="your-data-title" data-testid="your-data">
      <h2 id="your-data-title">{t('privacy.title')}</h2>
      {closure ? (
        <>
          <DownloadData hint={t('privacy.download.hint')} />
          {closure.data && !closure.data.scheduled && <CloseAccount closure={closure} />}
          {closure.data?.scheduled && <p data-testid="close-scheduled">{t('privacy.close.scheduled')}</p>}
          <FormError error={closure.error} testId="closure-error" />
        </>
      ) : (
        <>
          {/* A member's download is their own sign-in's (src/shared/api/access.ts), never the business's. */}
          <DownloadData hint={t('privacy.download.memberHint')} />
          <p data-testid="your-data-member">
            {t('privacy.member')}{' '}
            <a href={SUPPORT.href} data-testid="your-data-support">
              {t(SUPPORT.label)}
            </a>
          </p>
        </>
      )}
    </section>
  )
}

function DownloadData({ hint }: { hint: string }): React.JSX.Element {
  const { t } = useTranslation()
  const client = useDialtone()
  const save = useAction(async () => {
    const data = await client.invoke('account.exportData')
    const name = `dialtone-data-${data.exportedAt.slice(0, 10)}.json`
    download(name, 'application/json', JSON.stringify(data, null, 2))
    return name
  })
  return (
    <div data-testid="download-data">
      <p className="muted">{hint}</p>
      <button
        type="button"
        className="secondary"
        aria-disabled={save.pending}
        data-testid="download-data-submit"
        onClick={() => void save.run().catch(logFailure('YourData: save.run'))}
      >
        {t('privacy.download.submit')}
      </button>
      {save.data && !save.pending && (
        <p role="status" data-testid="download-data-done">
          {t('privacy.download.done', { file: isolate(save.data) })}
        </p>
      )}
      <FormError error={save.error} testId="download-data-error" />
    </div>
  )
}

function CloseAccount({ closure }: { closure: Query<AccountClosure> }): React.JSX.Element | null {
  const { t, i18n } = useTranslation()
  const phone = usePhoneNumbers()
  const client = useDialtone()
  const [password, setPassword] = useState('')
  const close = useAction(async () => {
    const next = await client.invoke('account.closeAccount', { password })
    closure.update(() => next)
    setPassword('')
    return next
  })
  const state = closure.data
  if (!state) return null
  const date = isolate(formatInstant(state.wouldCloseAt, i18n.language))
  const numbers = state.lines.map((l) => (l.number ? isolate(phone(l.number)) : t('privacy.close.noNumber')))
  const balance = state.balance.amountMinor
  const fieldIssue = issueFor(close.error, 'password')
  return (
    <details data-testid="close-account">
      <summary>{t('privacy.close.summary')}</summary>
      <form
        noValidate
        className="form"
        data-testid="close-form"
        onSubmit={(ev) => {
          ev.preventDefault()
          void close.run().catch(logFailure('YourData: close.run'))
        }}
      >
        <p>{t('privacy.close.intro', { date })}</p>
        <ul data-testid="close-consequences">
          <li>
            {numbers.length > 0
              ? t('privacy.close.lines', { numbers: formatList(numbers, i18n.language) })
              : t('privacy.close.noLines')}
          </li>
          <li>{t('privacy.close.meanwhile')}</li>
          {balance > 0 && (
            <li data-testid="close-balance">
              {t('privacy.close.balancePositive', {
                amount: isolate(formatMoney(state.balance, i18n.language))
              })}{' '}
              <a href="#/help">{t('remedy.support')}</a>
            </li>
          )}
          {balance < 0 && (
            <li data-testid="close-balance">
              {t('privacy.close.balanceOwed', { amount: isolate(formatMoney(state.balance, i18n.language)) })}
            </li>
          )}
          <li>{t('privacy.close.erased')}</li>
          <li>{t('privacy.close.noUndo')}</li>
          <li>{t('privacy.close.emails')}</li>
        </ul>
        <Field
          label={t('privacy.close.password')}
          type="password"
          value={password}
          onChange={setPassword}
          testId="close-password"
          maxLength={limit('account.closeAccount', 'password')}
          autoComplete="current-password"
          required
          error={fieldIssue}
        />
        {!fieldIssue && <FormError error={close.error} testId="close-error" />}
        <button type="submit" className="danger" aria-disabled={close.pending} data-testid="close-submit">
          {t('privacy.close.submit')}
        </button>
      </form>
    </details>
  )
}
