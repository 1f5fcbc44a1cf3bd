/**
 * A line suspended by Dialtone support (issue 20), said in words: on the line's own card ("Suspended by Dialtone
 * support on <date>") and, on the overview, one notice per suspended line naming it. The day is the account's
 * (formatInstant counts it in the account's time zone). Nothing shows once support restores the line.
 */
import { useTranslation } from 'react-i18next'
import type { ResponseOf } from '../../../../shared/ipc/contract'
import { isolate } from '../../../../shared/i18n/bidi'
import { formatInstant } from '../../format'
import { usePhoneNumbers } from '../../phone-numbers'
import { SUPPORT } from '../../remedies'

type LineInfo = ResponseOf<'account.lines'>['lines'][number]

const suspendedOn = (line: LineInfo): string | null =>
  line.status === 'suspended' && line.suspendedAt ? line.suspendedAt : null

/** On the line's card. */
export function LineSuspendedNote({ line }: { line: LineInfo }): React.JSX.Element | null {
  const { t, i18n } = useTranslation()
  const at = suspendedOn(line)
  if (!at) return null
  return (
    <p className="banner warn" role="status" data-testid="line-suspended">
      {t('lines.suspended.note', { date: formatInstant(at, i18n.language) })}{' '}
      <a href={SUPPORT.href} data-testid="line-suspended-support">
        {t(SUPPORT.label)}
      </a>
    </p>
  )
}

/** On the overview, above everything else: each suspended line by its number (or name, or dongle). */
export function SuspendedLines({ lines }: { lines: readonly LineInfo[] }): React.JSX.Element | null {
  const { t, i18n } = useTranslation()
  const phone = usePhoneNumbers()
  const suspended = lines.filter((l) => suspendedOn(l) !== null)
  if (suspended.length === 0) return null
  return (
    <div role="status" data-testid="suspended-lines">
      {suspended.map((l) => (
        <p key={l.id} className="banner warn" data-testid="suspended-notice">
          {t('lines.suspended.notice', {
            line: l.number ? isolate(phone(l.number)) : (l.label ?? isolate(l.deviceSerial)),
            date: formatInstant(l.suspendedAt ?? '', i18n.language)
          })}
        </p>
      ))}
    </div>
  )
}
