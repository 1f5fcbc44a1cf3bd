/**
 * Where to buy Re-Up cards (issue 25, seed 000): a city ("Austin, TX") or a ZIP, and the retail partners' shops
 * nearest first, each with its distance, whether it is open now (in the shop's time zone, the service decides)
 * and its hours for the week. A place the service does not know, or a city in several states, is said in words.
 * On the Help page and in the renewal area (compact: folded until opened). What a search found is said in one
 * sentence ("5 shops near 78701"): the list itself is not a live region, which would read every shop's hours.
 */
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ShopSearchResult, ShopView } from '../../../../shared/api/support'
import { WEEKDAYS } from '../../../../shared/help/hours'
import { shopHeading } from '../../../../shared/help/shop-heading'
import { useAction, useDialtone } from '../../bridge/dialtone-context'
import { formatList } from '../../format'
import { limit } from '../../limits'
import { logFailure } from '../../log'
import { VOUCHER_HREF } from '../../pages'
import { RENEW, samePlace } from '../../remedies'
import { Field, FormError, issueFor } from '../Field'
import { useMayCall } from '../business/role'
import { Said, useSaid } from '../Said'

/** A shop's name is a heading one level under the finder's title: h3 on the Help page, h4 in the folded finder. */
type ShopLevel = 3 | 4

/** Monday 2024-01-01 + i days: the weekday names in the page's language. */
const weekdayName = (i: number, lang: string): string =>
  new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2024, 0, 1 + i))
  )

export function ShopFinder({ compact = false }: { compact?: boolean }): React.JSX.Element {
  const { t } = useTranslation()
  const id = useId()
  const body = <Finder titleId={`${id}-title`} level={compact ? 4 : 3} />
  if (compact)
    return (
      <details className="card shop-finder" data-testid="shop-finder">
        <summary>
          <h3 id={`${id}-title`}>{t('help.shops.title')}</h3>
        </summary>
        {body}
      </details>
    )
  return (
    <section className="card shop-finder" aria-labelledby={`${id}-title`} data-testid="shop-finder">
      <h2 id={`${id}-title`}>{t('help.shops.title')}</h2>
      {body}
    </section>
  )
}

function Finder({ titleId, level }: { titleId: string; level: ShopLevel }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const client = useDialtone()
  const [q, setQ] = useState('')
  const [result, setResult] = useState<ShopSearchResult | null>(null)
  const search = useAction(() => client.invoke('help.shops', { q, limit: 10 }))
  const mayRedeem = useMayCall('redeemVoucher')
  const mayRenew = useMayCall('checkout')
  const { said, say } = useSaid()
  const found = (r: ShopSearchResult): string => {
    if (r.outcome === 'unknown') return t('help.shops.unknown')
    if (r.outcome === 'ambiguous')
      return t('help.shops.ambiguous', { states: formatList(r.states, i18n.language) })
    if (!r.place || r.shops.length === 0) return t(mayRenew ? 'help.shops.none' : 'help.shops.noneAskAdmin')
    return t('help.shops.found', { count: r.shops.length, place: placeName(r.place) })
  }
  return (
    <>
      {/* A business's line user does not renew: the code goes to whoever does (no link they cannot follow). */}
      {mayRedeem ? (
        <p className="muted">
          {t('help.shops.intro')}{' '}
          <a href={VOUCHER_HREF} data-testid="shops-where-code">
            {t('help.shops.whereCode')}
          </a>
        </p>
      ) : (
        <p className="muted" data-testid="shops-ask-admin">
          {t('help.shops.introAskAdmin')}
        </p>
      )}
      <form
        noValidate
        className="form"
        role="search"
        aria-labelledby={titleId}
        onSubmit={(e) => {
          e.preventDefault()
          void search
            .run()
            .then((r) => {
              if (!r) return
              setResult(r)
              say(found(r))
            })
            .catch(logFailure('ShopFinder: search.run'))
        }}
      >
        <Field
          label={t('help.shops.where')}
          hint={t('help.shops.whereHint')}
          value={q}
          onChange={setQ}
          testId="shop-query"
          latinDigits
          maxLength={limit('help.shops', 'q')}
          autoComplete="off"
          error={issueFor(search.error, 'q')}
        />
        <FormError error={search.error} testId="shop-error" />
        <button
          type="submit"
          className="secondary"
          disabled={search.pending || q.trim().length < 2}
          data-testid="shop-search"
        >
          {t('help.shops.search')}
        </button>
      </form>
      <Said said={said} look="unseen" testId="shop-said" />
      {result && <Results result={result} level={level} />}
    </>
  )
}

/** A place as the service named it: its ZIP, or its city and state. */
const placeName = (place: NonNullable<ShopSearchResult['place']>): string =>
  place.zip ?? `${place.city}, ${place.state}`

function Results({ result, level }: { result: ShopSearchResult; level: ShopLevel }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const mayRenew = useMayCall('checkout')
  if (result.outcome === 'unknown')
    return (
      <p className="banner warn" data-testid="shop-unknown">
        {t('help.shops.unknown')}
      </p>
    )
  if (result.outcome === 'ambiguous')
    return (
      <p className="banner warn" data-testid="shop-ambiguous">
        {t('help.shops.ambiguous', { states: formatList(result.states, i18n.language) })}
      </p>
    )
  const place = result.place
  return (
    <div data-testid="shop-results">
      <p>
        {place && result.shops.length > 0 ? (
          t('help.shops.near', { place: placeName(place) })
        ) : (
          <>
            {t(mayRenew ? 'help.shops.none' : 'help.shops.noneAskAdmin')}
            {/* "Renew online instead": the renewal is on the Account page (the compact finder sits in it). */}
            {mayRenew && !samePlace(RENEW.href, window.location.hash) && (
              <>
                {' '}
                <a href={RENEW.href} data-testid="shop-none-renew">
                  {t(RENEW.label)}
                </a>
              </>
            )}
          </>
        )}
      </p>
      <ol className="plain-list shops">
        {result.shops.map((s) => (
          <ShopItem key={s.id} shop={s} level={level} />
        ))}
      </ol>
    </div>
  )
}

function ShopItem({ shop: s, level }: { shop: ShopView; level: ShopLevel }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  // Shown to a tenth of a mile; the plural form goes by the number as shown ("1 mile", "1.5 miles").
  const shownMiles = Math.round(s.distanceMiles * 10) / 10
  const miles = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 }).format(shownMiles)
  const heading = shopHeading(s)
  const Heading = level === 3 ? 'h3' : 'h4'
  return (
    <li data-testid="shop" data-name={s.name}>
      <Heading dir="auto">{heading.name}</Heading>
      {heading.partner && (
        <p className="muted" dir="auto" data-testid="shop-partner">
          {heading.partner}
        </p>
      )}
      <p dir="ltr" className="address">
        {s.street}, {s.city}, {s.state} {s.zip}
      </p>
      <p>
        <span data-testid="shop-distance">{t('help.shops.distance', { miles, count: shownMiles })}</span>
        {' · '}
        <span className={s.openNow ? 'open-now' : 'closed-now'} data-testid="shop-open">
          {s.openNow ? t('help.shops.openNow') : t('help.shops.closedNow')}
        </span>
      </p>
      <details>
        <summary>{t('help.shops.hours')}</summary>
        <dl className="facts hours">
          {WEEKDAYS.map((d, i) => {
            const h = s.hours[d]
            return (
              <div key={d}>
                <dt>{weekdayName(i, i18n.language)}</dt>
                <dd>
                  {h ? t('help.shops.opens', { open: h.open, close: h.close }) : t('help.shops.closedDay')}
                </dd>
              </div>
            )
          })}
        </dl>
        <p className="muted">{t('help.shops.localTime')}</p>
      </details>
    </li>
  )
}
