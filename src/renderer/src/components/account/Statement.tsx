/**
 * The balance statement for a period the person picks (this month so far by default): the balance before it,
 * every ledger entry (calls, fees, top-ups, promised payments and their repayment, plan-change recalculations,
 * minutes packs, refunds) worded from its kind and memo codes, the balance after each, and the balance after the
 * period; more a page at a time; the same as a CSV or PDF file. Dates are the account's time zone, which the
 * service sends with the period. A period the service refuses (reversed, too long, in the future) is said next to
 * its field and the statement on screen stays as it was.
 */
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ResponseOf } from '../../../../shared/ipc/contract'
import { isolate } from '../../../../shared/i18n/bidi'
import { matchLanguage } from '../../../../shared/i18n/languages'
import type { DialtoneError } from '../../../../shared/ipc/errors'
import { asDialtoneError, useAction, useDialtone } from '../../bridge/dialtone-context'
import { downloadBase64 } from '../../download'
import { formatDay, formatMoney, localDay } from '../../format'
import { logFailure } from '../../log'
import { useWords } from '../../words'
import { Field, FormError, issueFor } from '../Field'

type Shown = ResponseOf<'billing.balanceEntries'>
const PAGE = 50

/** A refusal that no field below claims, for the banner (a field's own issue is said under the field). */
const unclaimed = (e: DialtoneError | undefined): DialtoneError | undefined =>
  e && !issueFor(e, 'from') && !issueFor(e, 'to') ? e : undefined

export function Statement(): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const words = useWords()
  const lang = i18n.language
  const client = useDialtone()
  const [from, setFrom] = useState(() => `${localDay().slice(0, 8)}01`)
  const [to, setTo] = useState(() => localDay())
  const [shown, setShown] = useState<Shown | undefined>(undefined)
  const load = useAction(async (period: { from: string; to: string }, offset: number) => {
    const page = await client.invoke('billing.balanceEntries', { ...period, limit: PAGE, offset })
    setShown((before) =>
      offset > 0 && before ? { ...page, entries: [...before.entries, ...page.entries] } : page
    )
    return page
  })
  const file = useAction(async (format: 'csv' | 'pdf') => {
    // Both files' words in the app's language (the CSV's dates, kind codes and amounts read the same in any).
    const language = matchLanguage([lang])
    const f = await client.invoke('billing.exportStatement', { from, to, format, language })
    downloadBase64(f.filename, f.contentType, f.contentBase64)
    return f
  })
  // Once, for the default period (this month so far on the computer's calendar); later periods come from the
  // form. When the account's zone is still a day behind (the 1st here, the 30th there), the service refuses a
  // period after its today and says that day: the default becomes the account's month, before anything is typed.
  const [firstError, setFirstError] = useState<DialtoneError | undefined>(undefined)
  useEffect(() => {
    let live = true
    const ask = (p: { from: string; to: string }) =>
      client.invoke('billing.balanceEntries', { ...p, limit: PAGE, offset: 0 })
    ask({ from, to })
      .catch((err: unknown) => {
        const e = asDialtoneError(err)
        const today = e.params?.date
        if (e.reason !== 'period-in-future' || typeof today !== 'string') throw e
        const period = { from: `${today.slice(0, 8)}01`, to: today }
        if (live) {
          setFrom(period.from)
          setTo(period.to)
        }
        return ask(period)
      })
      .then(
        // A period the person asked for meanwhile wins over the default.
        (page) => live && setShown((asked) => asked ?? page),
        (err: unknown) => live && setFirstError(asDialtoneError(err))
      )
    return () => {
      live = false
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client])

  const error = load.error ?? file.error ?? firstError
  const period = shown?.period
  const when = new Intl.DateTimeFormat(lang, {
    dateStyle: 'short',
    timeStyle: 'short',
    ...(period ? { timeZone: period.zone } : {})
  })
  const entries = shown?.entries ?? []
  const exportAs = (format: 'csv' | 'pdf') => () => {
    load.clear()
    setFirstError(undefined)
    void file.run(format).catch(logFailure('Statement: file.run'))
  }

  return (
    <section className="card" aria-labelledby="statement-title" data-testid="statement">
      <h2 id="statement-title">{t('statement.title')}</h2>
      <form
        noValidate
        className="form row-actions"
        aria-labelledby="statement-title"
        onSubmit={(e) => {
          e.preventDefault()
          // The newest answer is the one said: a download's refusal goes when the period is asked again.
          file.clear()
          setFirstError(undefined)
          void load.run({ from, to }, 0).catch(logFailure('Statement: load.run'))
        }}
      >
        <Field
          label={t('statement.from')}
          type="date"
          value={from}
          onChange={setFrom}
          testId="statement-from"
          dir="ltr"
          required
          error={issueFor(error, 'from')}
        />
        <Field
          label={t('statement.to')}
          type="date"
          value={to}
          onChange={setTo}
          testId="statement-to"
          dir="ltr"
          required
          error={issueFor(error, 'to')}
        />
        <button type="submit" aria-disabled={load.pending} data-testid="statement-show">
          {t('statement.show')}
        </button>
        <button
          type="button"
          className="secondary"
          aria-disabled={file.pending}
          onClick={exportAs('csv')}
          data-testid="statement-csv"
        >
          {t('statement.csv')}
        </button>
        <button
          type="button"
          className="secondary"
          aria-disabled={file.pending}
          onClick={exportAs('pdf')}
          data-testid="statement-pdf"
        >
          {t('statement.pdf')}
        </button>
      </form>
      <FormError error={unclaimed(error)} testId="statement-error" />
      {period && (
        <>
          <p className="muted" data-testid="statement-period">
            {t('statement.period', {
              from: isolate(formatDay(period.from, lang)),
              to: isolate(formatDay(period.to, lang)),
              zone: isolate(period.zone)
            })}
          </p>
          <table data-testid="statement-table">
            <thead>
              <tr>
                <th scope="col">{t('statement.date')}</th>
                <th scope="col">{t('statement.kindColumn')}</th>
                <th scope="col">{t('statement.description')}</th>
                <th scope="col">{t('statement.amount')}</th>
                <th scope="col">{t('statement.balance')}</th>
              </tr>
            </thead>
            <tbody>
              <tr data-testid="statement-opening">
                <th scope="row" colSpan={4}>
                  {t('statement.opening')}
                </th>
                <td>{isolate(formatMoney(period.opening, lang))}</td>
              </tr>
              {entries.map((e) => (
                <tr key={e.id} data-testid="statement-entry" data-kind={e.kind}>
                  <td>{isolate(when.format(new Date(e.at)))}</td>
                  <td>{t(`statement.kind.${e.kind}`)}</td>
                  <td>{words.memo(e.memoCode, e.memoParams)}</td>
                  <td>{isolate(formatMoney(e.amount, lang))}</td>
                  <td>{e.balanceAfter ? isolate(formatMoney(e.balanceAfter, lang)) : ''}</td>
                </tr>
              ))}
              {entries.length === 0 && (
                <tr>
                  <td colSpan={5} className="muted">
                    {t('statement.none')}
                  </td>
                </tr>
              )}
              <tr data-testid="statement-closing">
                <th scope="row" colSpan={4}>
                  {t('statement.closing')}
                </th>
                <td>{isolate(formatMoney(period.closing, lang))}</td>
              </tr>
            </tbody>
          </table>
          {typeof shown?.nextOffset === 'number' && (
            <button
              type="button"
              className="secondary"
              aria-disabled={load.pending}
              data-testid="statement-more"
              onClick={() =>
                void load
                  .run({ from: period.from, to: period.to }, shown?.nextOffset ?? 0)
                  .catch(logFailure('Statement: more'))
              }
            >
              {t('statement.more')}
            </button>
          )}
        </>
      )}
    </section>
  )
}
