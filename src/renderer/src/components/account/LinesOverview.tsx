/**
 * All the account's lines at a glance, for whoever manages several (a business, or a home with two dongles): each
 * line's name (editable: "Front desk"), number, dongle, state, paid-through day and whether its 911 address is set.
 * Shown when the account is a business or has more than one line; each line's own card follows below.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ResponseOf } from '../../../../shared/ipc/contract'
import { useAction, useDialtone, useQuery } from '../../bridge/dialtone-context'
import { formatInstant } from '../../format'
import { Field, FormError, issueFor } from '../Field'
import { isolate } from '../../../../shared/i18n/bidi'
import { limit } from '../../limits'
import { logFailure } from '../../log'
import { usePhoneNumbers } from '../../phone-numbers'

type LineInfo = ResponseOf<'account.lines'>['lines'][number]

export function LinesOverview({
  lines,
  onChange
}: {
  lines: readonly LineInfo[]
  onChange: (l: LineInfo) => void
}): React.JSX.Element | null {
  const { t, i18n } = useTranslation()
  const phone = usePhoneNumbers()
  const profile = useQuery('account.profile')
  const [editing, setEditing] = useState<string | null>(null)
  if (lines.length < 2 && profile.data?.type !== 'business') return null
  return (
    <section className="card" aria-labelledby="lines-overview-title" data-testid="lines-overview">
      <h2 id="lines-overview-title">{t('lines.overview.title', { n: lines.length })}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('lines.overview.name')}</th>
            <th scope="col">{t('lines.overview.number')}</th>
            <th scope="col">{t('lines.overview.dongle')}</th>
            <th scope="col">{t('lines.overview.state')}</th>
            <th scope="col">{t('lines.overview.paidThrough')}</th>
            <th scope="col">{t('lines.overview.e911')}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr key={l.id} data-testid={`overview-${l.id}`}>
              <td>
                {editing === l.id ? (
                  <LabelForm
                    line={l}
                    onDone={(next) => {
                      if (next) onChange(next)
                      setEditing(null)
                    }}
                  />
                ) : (
                  <>
                    <span data-testid="overview-label">{l.label ?? t('lines.overview.unnamed')}</span>{' '}
                    <button
                      type="button"
                      className="secondary"
                      aria-label={t('lines.overview.renameLine', {
                        number: l.number ? phone(l.number) : l.deviceSerial
                      })}
                      data-testid="overview-rename"
                      onClick={() => setEditing(l.id)}
                    >
                      {t('lines.overview.rename')}
                    </button>
                  </>
                )}
              </td>
              <td>{isolate(l.number ? phone(l.number) : '—')}</td>
              <td>{isolate(l.deviceSerial)}</td>
              <td>{t(`lines.status.${l.status}`)}</td>
              <td>{isolate(l.paidThrough ? formatInstant(l.paidThrough, i18n.language) : '—')}</td>
              <td>{l.e911 ? t('lines.overview.e911Set') : t('lines.overview.e911Missing')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

function LabelForm({
  line,
  onDone
}: {
  line: LineInfo
  onDone: (next: LineInfo | null) => void
}): React.JSX.Element {
  const { t } = useTranslation()
  const client = useDialtone()
  const [label, setLabel] = useState(line.label ?? '')
  const save = useAction(() => client.invoke('account.setLineLabel', { lineId: line.id, label }))
  return (
    <form
      noValidate
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault()
        void save
          .run()
          .then((r) => r && onDone(r))
          .catch(logFailure('LinesOverview: save.run'))
      }}
    >
      <Field
        label={t('lines.overview.name')}
        value={label}
        onChange={setLabel}
        testId="overview-label-input"
        maxLength={limit('account.setLineLabel', 'label')}
        error={issueFor(save.error, 'label')}
      />
      <FormError error={save.error} testId="overview-label-error" />
      <button type="submit" aria-disabled={save.pending} data-testid="overview-label-save">
        {t('lines.overview.save')}
      </button>{' '}
      <button type="button" className="secondary" onClick={() => onDone(null)}>
        {t('lines.overview.cancel')}
      </button>
    </form>
  )
}
