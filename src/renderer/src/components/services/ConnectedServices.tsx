/**
 * Connected services on the Account overview (issue 25 part 1; seed 002's dashboard): for each line, what is on
 * with its monthly fee and the total, then every service of the catalog with its fee (free ones say so), its
 * conditions and its state, switched on or off in two clicks. Before a switch is confirmed the service's preview
 * is shown: what is charged now for the rest of the month or given back for its unused days (prorated like the
 * tariffs, seed 003), the monthly fee from the next month, and the balance. The history of switches follows. An
 * address that asks for them (SERVICES in ../../remedies.ts: a call refused because international calling is off)
 * brings the first line's services into view.
 */
import { Fragment, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ResponseOf } from '../../../../shared/ipc/contract'
import { isolate } from '../../../../shared/i18n/bidi'
import { useQuery } from '../../bridge/dialtone-context'
import { useMayCall } from '../business/role'
import { formatInstant, formatMoney } from '../../format'
import { TOP_UP } from '../../remedies'
import { FormError } from '../Field'
import { ServiceHistory } from './ServiceHistory'
import { SwitchConfirm } from './SwitchConfirm'
import { Said, useSaid } from '../Said'
import { usePhoneNumbers } from '../../phone-numbers'
import { useFocusWhenAsked } from '../../focus-when-asked'

type LineInfo = ResponseOf<'account.lines'>['lines'][number]
export type LineServiceItem = ResponseOf<'services.list'>['services'][number]

export function ConnectedServices({ lines }: { lines: readonly LineInfo[] }): React.JSX.Element | null {
  const open = lines.filter((l) => l.status !== 'closed')
  if (open.length === 0) return null
  return (
    <>
      {open.map((l, i) => (
        <LineServices key={l.id} line={l} first={i === 0} />
      ))}
    </>
  )
}

/** How long after the focus returns to the row's switch the switch's outcome is said. */
const SAY_AFTER_FOCUS_MS = 150

function LineServices({ line, first }: { line: LineInfo; first: boolean }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const phone = usePhoneNumbers()
  // A business's billing person and line users see the services and fees; the administrator switches them.
  const maySwitch = useMayCall('previewServiceSwitch', 'switchService')
  // The way to top up is shown to whoever may top up (a business's billing person too).
  const mayTopUp = useMayCall('topUp')
  const lang = i18n.language
  const list = useQuery('services.list', { lineId: line.id })
  const [asking, setAsking] = useState<{ code: string; enabled: boolean } | null>(null)
  // What the last switch did, said once the focus is back on the row's switch (said first, a screen reader would
  // drop it for the button's name).
  const { said: done, say } = useSaid()
  const [historyGen, setHistoryGen] = useState(0)
  // Each row's switch, so the focus goes back to the one that asked when the question closes.
  const triggers = useRef(new Map<string, HTMLButtonElement>())
  const answered = (switched: { code: string; enabled: boolean; service: string } | null): void => {
    const code = asking?.code
    setAsking(null)
    if (code) requestAnimationFrame(() => triggers.current.get(code)?.focus())
    if (switched)
      setTimeout(
        () =>
          say(t(switched.enabled ? 'services.doneOn' : 'services.doneOff', { service: switched.service })),
        SAY_AFTER_FOCUS_MS
      )
  }
  const services = list.data?.services ?? []
  const on = services.filter((s) => s.enabled)
  const name = (s: Pick<LineServiceItem, 'feature'>) => t(`services.feature.${s.feature}`)
  const fee = (s: LineServiceItem) =>
    s.free ? t('services.free') : t('services.perMonth', { price: isolate(formatMoney(s.monthlyFee, lang)) })
  const titleId = `services-title-${line.id}`
  const heading = useRef<HTMLHeadingElement>(null)
  useFocusWhenAsked('services', () => heading.current, first)
  return (
    <section className="card" aria-labelledby={titleId} data-testid={`services-${line.id}`}>
      <h2 id={titleId} ref={heading} tabIndex={-1}>
        {line.number ? t('services.titleFor', { number: isolate(phone(line.number)) }) : t('services.title')}
      </h2>
      <FormError error={list.error} testId="services-error" />
      {list.data && (
        <>
          <h3>{t('services.onNow')}</h3>
          {on.length === 0 ? (
            <p className="muted">{t('services.nothingOn')}</p>
          ) : (
            <ul className="plain-list" data-testid="services-on">
              {on.map((s) => (
                <li key={s.code} data-testid={`services-on-${s.code}`}>
                  {t('services.onItem', { service: name(s), fee: fee(s) })}
                </li>
              ))}
            </ul>
          )}
          <p data-testid="services-total">
            {t('services.total', { amount: isolate(formatMoney(list.data.monthlyTotal, lang)) })}
          </p>
          <table aria-label={t('services.catalog')}>
            <thead>
              <tr>
                <th scope="col">{t('services.col.service')}</th>
                <th scope="col">{t('services.col.fee')}</th>
                <th scope="col">{t('services.col.conditions')}</th>
                <th scope="col">{t('services.col.state')}</th>
              </tr>
            </thead>
            <tbody>
              {services.map((s) => (
                <Fragment key={s.code}>
                  <tr data-testid={`service-${s.code}`}>
                    <th scope="row">{name(s)}</th>
                    <td data-testid="service-fee">{fee(s)}</td>
                    <td>
                      <ul className="plain-list">
                        {s.conditions.map((c) => (
                          <li key={c}>
                            {t(`services.condition.${c}`)}
                            {c === 'set-on-phone-page' && (
                              <>
                                {' '}
                                <a href="#/phone" data-testid={`service-to-phone-${s.code}`}>
                                  {t('services.toPhone')}
                                </a>
                              </>
                            )}
                          </li>
                        ))}
                        {s.retired && <li>{t('services.retired')}</li>}
                      </ul>
                    </td>
                    <td>
                      <span data-testid="service-state">
                        {s.enabled ? t('services.state.on') : t('services.state.off')}
                      </span>{' '}
                      {s.offReason === 'unpaid' && s.since && (
                        <span className="muted" data-testid="service-off-reason">
                          {t('services.offUnpaid', { date: isolate(formatInstant(s.since, lang)) })}
                          {mayTopUp && (
                            <>
                              {' '}
                              <a href={TOP_UP.href} data-testid="service-off-top-up">
                                {t(TOP_UP.label)}
                              </a>
                            </>
                          )}{' '}
                        </span>
                      )}
                      {maySwitch && s.switchable && !(s.retired && !s.enabled) && (
                        <button
                          type="button"
                          className="secondary"
                          ref={(b) => {
                            if (b) triggers.current.set(s.code, b)
                            else triggers.current.delete(s.code)
                          }}
                          data-testid="service-switch"
                          aria-label={t(s.enabled ? 'services.switchOffNamed' : 'services.switchOnNamed', {
                            service: name(s)
                          })}
                          onClick={() => {
                            say('')
                            setAsking({ code: s.code, enabled: !s.enabled })
                          }}
                        >
                          {s.enabled ? t('services.switchOff') : t('services.switchOn')}
                        </button>
                      )}
                    </td>
                  </tr>
                  {/* The question opens under its own row, not below the table (a keyboard reaches it next). */}
                  {asking?.code === s.code && (
                    <tr data-testid={`service-confirm-row-${s.code}`}>
                      <td colSpan={4}>
                        <SwitchConfirm
                          lineId={line.id}
                          code={asking.code}
                          enabled={asking.enabled}
                          service={name(s)}
                          onCancel={() => answered(null)}
                          onDone={(next) => {
                            list.update(() => next)
                            answered({ ...asking, service: name(s) })
                            setHistoryGen((g) => g + 1)
                          }}
                        />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
          <Said look="banner" testId="service-done" said={done} />
          <ServiceHistory lineId={line.id} generation={historyGen} />
        </>
      )}
    </section>
  )
}
