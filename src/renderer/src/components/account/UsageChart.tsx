/**
 * What the account spent, day by day for the last 30 days or month by month for the last 12: one bar per
 * period (calls and fees stacked), drawn as SVG here because two stacked series do not need a chart library's
 * 100 KiB. The same figures are in a table for screen readers and for copying. While the figures load it says
 * so; when they cannot be had it says why, with a retry and the way to Help; when the period has no calls and no
 * fees (a new account) it says that in words, for that period, and what will appear, instead of an empty frame.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useQuery } from '../../bridge/dialtone-context'
import { FormError } from '../Field'
import { Loading } from '../Loading'
import { formatDay, formatMoney, formatMonth, localDay } from '../../format'
import { isolate } from '../../../../shared/i18n/bidi'

const W = 600
const H = 160

export function UsageChart(): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const [granularity, setGranularity] = useState<'day' | 'month'>('day')
  const from = granularity === 'day' ? localDay(-29) : `${localDay(-334).slice(0, 8)}01`
  const series = useQuery('billing.usageSeries', { granularity, from, to: localDay() })
  const points = series.data?.points ?? []
  const currency = series.data?.currency ?? 'USD'
  const max = Math.max(1, ...points.map((p) => p.usageMinor + p.feesMinor))
  const label = (period: string): string =>
    granularity === 'day' ? formatDay(period, lang) : formatMonth(period, lang)
  const money = (minor: number): string => formatMoney({ amountMinor: minor, currency }, lang)
  const bar = W / Math.max(points.length, 1)
  // The service sends every period of the range, zeros included: nothing spent is every point at zero.
  const empty = series.data !== undefined && points.every((p) => p.usageMinor + p.feesMinor + p.minutes === 0)

  return (
    <section className="card" aria-labelledby="usage-title" data-testid="usage">
      <header className="page-head">
        <h2 id="usage-title">{t('billing.usageTitle')}</h2>
        <div role="group" aria-label={t('billing.usagePeriod')} className="segmented">
          {(['day', 'month'] as const).map((g) => (
            <button
              key={g}
              type="button"
              className="secondary"
              aria-pressed={granularity === g}
              data-testid={`usage-${g}`}
              onClick={() => setGranularity(g)}
            >
              {t(`billing.usageBy.${g}`)}
            </button>
          ))}
        </div>
      </header>
      {series.error ? (
        <div data-testid="usage-failed">
          <FormError error={series.error} testId="usage-error" />
          <p>{t('billing.usageFailed')}</p>
          <p className="row-actions">
            <button type="button" className="secondary" data-testid="usage-retry" onClick={series.refresh}>
              {t('billing.usageRetry')}
            </button>
            <a href="#/help">{t('billing.usageHelp')}</a>
          </p>
        </div>
      ) : !series.data ? (
        <Loading />
      ) : empty ? (
        <p className="note" data-testid="usage-empty">
          {t(`billing.usageEmpty.${granularity}`)}
        </p>
      ) : (
        <>
          <svg
            viewBox={`0 0 ${W} ${H}`}
            className="usage-chart"
            role="img"
            aria-label={t('billing.usageChart')}
          >
            {points.map((p, i) => {
              const usage = (p.usageMinor / max) * (H - 4)
              const fees = (p.feesMinor / max) * (H - 4)
              return (
                <g key={p.period}>
                  <title>{`${isolate(label(p.period))}: ${isolate(money(p.usageMinor + p.feesMinor))}`}</title>
                  <rect className="bar-fees" x={i * bar + 1} width={bar - 2} y={H - fees} height={fees} />
                  <rect
                    className="bar-usage"
                    x={i * bar + 1}
                    width={bar - 2}
                    y={H - fees - usage}
                    height={usage}
                  />
                </g>
              )
            })}
          </svg>
          <p className="legend muted">
            <span className="swatch bar-usage" aria-hidden="true" /> {t('billing.calls')}{' '}
            <span className="swatch bar-fees" aria-hidden="true" /> {t('billing.fees')}
          </p>
          <details>
            <summary>{t('billing.usageTable')}</summary>
            <table data-testid="usage-table">
              <thead>
                <tr>
                  <th scope="col">{t('billing.period')}</th>
                  <th scope="col">{t('billing.calls')}</th>
                  <th scope="col">{t('billing.fees')}</th>
                  <th scope="col">{t('billing.minutes')}</th>
                </tr>
              </thead>
              <tbody>
                {points.map((p) => (
                  <tr key={p.period}>
                    <th scope="row">{isolate(label(p.period))}</th>
                    <td>{isolate(money(p.usageMinor))}</td>
                    <td>{isolate(money(p.feesMinor))}</td>
                    <td>{isolate(new Intl.NumberFormat(lang).format(p.minutes))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </section>
  )
}
