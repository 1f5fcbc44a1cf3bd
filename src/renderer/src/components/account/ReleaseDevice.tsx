/**
 * Giving a line's dongle away (sold, given, thrown out): what releasing it does is said before the password is
 * asked — the line closes, its number is released, the paid time left on it ends, the cards saved for it are
 * removed (src/server/devices/transfer.ts) — and the password confirms it. The line's card then shows it closed
 * (the service's answer arrives with account.linesChanged).
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ResponseOf } from '../../../../shared/ipc/contract'
import { isolate } from '../../../../shared/i18n/bidi'
import { useAction, useDialtone } from '../../bridge/dialtone-context'
import { formatInstant } from '../../format'
import { limit } from '../../limits'
import { logFailure } from '../../log'
import { Field, FormError, issueFor } from '../Field'
import { usePhoneNumbers } from '../../phone-numbers'

type LineInfo = ResponseOf<'account.lines'>['lines'][number]

export function ReleaseDevice({ line }: { line: LineInfo }): React.JSX.Element | null {
  const { t, i18n } = useTranslation()
  const phone = usePhoneNumbers()
  const client = useDialtone()
  const [password, setPassword] = useState('')
  const release = useAction(() =>
    client.invoke('account.releaseDevice', { deviceId: line.deviceId, password })
  )
  if (line.status === 'closed') return null
  // Paid time still ahead is lost with the line: say until when, so nobody learns it afterwards.
  // (A lapsed line's paid time is already over.)
  const paidAhead = line.paidThrough !== null && line.status !== 'lapsed'
  const fieldIssue = issueFor(release.error, 'password')
  return (
    <details data-testid="release">
      <summary>{t('release.summary')}</summary>
      <form
        noValidate
        className="form"
        data-testid="release-form"
        onSubmit={(ev) => {
          ev.preventDefault()
          void release.run().catch(logFailure('ReleaseDevice: release.run'))
        }}
      >
        <p>{t('release.intro', { serial: isolate(line.deviceSerial) })}</p>
        <ul data-testid="release-consequences">
          <li>
            {line.number
              ? t('release.closes', { number: isolate(phone(line.number)) })
              : t('release.closesNoNumber')}
          </li>
          {paidAhead && line.paidThrough && (
            <li>
              {t('release.paidTime', { date: isolate(formatInstant(line.paidThrough, i18n.language)) })}
            </li>
          )}
          <li>{t('release.rest')}</li>
        </ul>
        <Field
          label={t('release.password')}
          type="password"
          value={password}
          onChange={setPassword}
          testId="release-password"
          maxLength={limit('account.releaseDevice', 'password')}
          autoComplete="current-password"
          required
          error={fieldIssue}
        />
        {!fieldIssue && <FormError error={release.error} testId="release-error" />}
        <button type="submit" className="danger" aria-disabled={release.pending} data-testid="release-submit">
          {t('release.submit')}
        </button>
      </form>
    </details>
  )
}
