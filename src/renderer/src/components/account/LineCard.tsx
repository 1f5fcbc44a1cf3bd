/**
 * One line of the account: its number and state, what still keeps it from service, its 911 address (changed
 * here), a new number by area code, and its renewal.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { formatList } from '../../format'
import type { ResponseOf } from '../../../../shared/ipc/contract'
import { useAction, useDialtone, useQuery } from '../../bridge/dialtone-context'
import { Field, FormError, issueFor } from '../Field'
import { limit } from '../../limits'
import { E911Form, emptyAddress } from './E911Form'
import { LineHistory } from './LineHistory'
import { LineSuspendedNote } from './LineSuspended'
import { ReleaseDevice } from './ReleaseDevice'
import { Renewal } from './Renewal'
import { isolate } from '../../../../shared/i18n/bidi'
import { logFailure } from '../../log'
import { Allowed } from '../business/role'
import { usePhoneNumbers } from '../../phone-numbers'
import { addressText } from '../../../../shared/numbers/address-text'

type LineInfo = ResponseOf<'account.lines'>['lines'][number]
interface LineProps {
  line: LineInfo
  /** The line as the service answered after a change here. */
  onChange: (l: LineInfo) => void
}

export function LineCard({ line, onChange }: LineProps): React.JSX.Element {
  const { t, i18n } = useTranslation()
  return (
    <section className="card" aria-labelledby={`line-${line.id}`} data-testid="line-card">
      <LineHeading line={line} id={`line-${line.id}`} />
      <LineSuspendedNote line={line} />
      {line.missing.length > 0 && (
        <p className="banner warn" data-testid="line-missing">
          {t('lines.missing', {
            list: formatList(
              line.missing.map((m) => t(`lines.needs.${m}`)),
              i18n.language
            )
          })}
        </p>
      )}
      {line.status === 'closed' ? (
        // A closed line (released or handed over) keeps its history; nothing on it can be changed any more.
        <>
          <p className="muted" data-testid="line-closed">
            {t('lines.closedNote')}
          </p>
          <LineHistory line={line} />
        </>
      ) : (
        <OpenLine line={line} onChange={onChange} />
      )}
    </section>
  )
}

/** A line's name on its cards: its label and number (or none yet), its state, and the dongle it is on. */
export function LineHeading({ line, id }: { line: LineInfo; id: string }): React.JSX.Element {
  const { t } = useTranslation()
  const phone = usePhoneNumbers()
  return (
    <>
      <h2 id={id}>
        {line.label && <span data-testid="line-label">{line.label} · </span>}
        {line.number ? (
          <span data-testid="line-number">{isolate(phone(line.number))}</span>
        ) : (
          t('lines.noNumber')
        )}{' '}
        <span className={`chip line-${line.status}`} data-testid="line-status">
          {t(`lines.status.${line.status}`)}
        </span>
      </h2>
      <p className="muted">{t('lines.dongle', { serial: line.deviceSerial })}</p>
    </>
  )
}

/** What can be done with a line in service or on its way: 911 address, number, history, renewal, release. */
function OpenLine({ line, onChange }: LineProps): React.JSX.Element {
  const { t } = useTranslation()
  const [editing, setEditing] = useState(line.missing.includes('e911'))
  const e = line.e911?.address
  return (
    <>
      {/* While it is changed, the form's own heading names it (once). */}
      {!editing && <h3>{t('e911.title')}</h3>}
      {e && !editing && (
        <p data-testid="line-e911">
          {addressText(e)}{' '}
          <button type="button" className="secondary" onClick={() => setEditing(true)}>
            {t('e911.change')}
          </button>
        </p>
      )}
      {editing && (
        <E911Form
          lineId={line.id}
          initial={emptyAddress(e)}
          onSaved={(l) => {
            setEditing(false)
            onChange(l)
          }}
        />
      )}
      {/* A business's line user uses the line; its number, renewal and dongle are the administrator's (issue 25). */}
      <Allowed routes={['changeNumber']}>
        <NumberChange line={line} onChange={onChange} />
      </Allowed>
      <LineHistory line={line} />
      {/* The renewal as this role may use it (Renewal.tsx shows each part to whom it is for). */}
      <Allowed routes={['checkout']}>
        <h3>{t('renewal.title')}</h3>
        <Renewal lineId={line.id} />
      </Allowed>
      <Allowed routes={['releaseDevice']}>
        <ReleaseDevice line={line} />
      </Allowed>
    </>
  )
}

function NumberChange({ line, onChange }: LineProps): React.JSX.Element {
  const { t } = useTranslation()
  const phone = usePhoneNumbers()
  const client = useDialtone()
  const [areaCode, setAreaCode] = useState('')
  const [number, setNumber] = useState('')
  const valid = /^[2-9]\d\d$/.test(areaCode)
  const offer = useQuery('account.availableNumbers', valid ? { areaCode } : null)
  const change = useAction(() =>
    client.invoke('account.changeNumber', { lineId: line.id, ...(number ? { number } : { areaCode }) })
  )
  return (
    <details>
      <summary>{t('lines.changeNumber')}</summary>
      <form
        noValidate
        className="form"
        onSubmit={(ev) => {
          ev.preventDefault()
          void change
            .run()
            .then((l) => l && onChange(l))
            .catch(logFailure('LineCard: change.run'))
        }}
      >
        <Field
          label={t('lines.areaCode')}
          value={areaCode}
          onChange={(v) => {
            setAreaCode(v)
            setNumber('')
          }}
          testId="number-area"
          latinDigits
          maxLength={limit('account.changeNumber', 'areaCode')}
          inputMode="numeric"
          dir="ltr"
          error={issueFor(change.error, 'areaCode')}
        />
        {offer.data && (
          <fieldset>
            <legend>{t('lines.pickNumber')}</legend>
            {offer.data.numbers.length === 0 && <p className="muted">{t('lines.noneFree')}</p>}
            {offer.data.numbers.slice(0, 8).map((n) => (
              <label key={n} className="inline">
                <input
                  type="radio"
                  name={`number-${line.id}`}
                  checked={number === n}
                  onChange={() => setNumber(n)}
                />
                {/* As people write it ("(201) 555-0123"); the choice sent is the number itself. */}
                <span data-testid="number-choice">{isolate(phone(n))}</span>
              </label>
            ))}
          </fieldset>
        )}
        <FormError error={offer.error ?? change.error} testId="number-error" />
        <button type="submit" className="secondary" disabled={!valid || change.pending}>
          {t('lines.changeNumberSubmit')}
        </button>
      </form>
    </details>
  )
}
