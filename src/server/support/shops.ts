/**
 * Where to buy Re-Up cards (issue 25, seed 000): the retail partners' shops, added by operators with their
 * opening hours, and the public search by city or ZIP, nearest first, with the distance and whether each shop is
 * open now in its own time zone. Places come from the npm `zipcodes` data (US ZIP centroids); a shop's position
 * is its ZIP's centroid, which is as precise as "nearest first" needs; a city is all of its ZIPs (placeOf). The
 * data (5 MB of JavaScript) is loaded on the first search or shop added, not with the service: most service
 * processes never need it, and compiling it was about half a CPU second of every service start (three starts of
 * `node out/main/server.js` to its first health answer with it and without: 2.05 against 1.5-1.7 CPU s).
 */
import { DateTime } from 'luxon'
import type Zipcodes from 'zipcodes'
import type { ShopSearchResult, ShopView } from '../../shared/api/support'
import { type WeekHours, milesBetween, openAt } from '../../shared/help/hours'
import type { ServiceContext } from '../context'
import { ServiceError, notFound } from '../http/errors'
import { newId } from '../secrets'
import { findPartner } from '../ops/partners'
import { zoneOfState } from './state-zones'

type ZipData = typeof Zipcodes
let loaded: Promise<ZipData> | undefined
const zipData = (): Promise<ZipData> => (loaded ??= import('zipcodes').then((m) => m.default))

/** A 5-digit ZIP, "City, ST", "City ST" or "City". */
function parseQuery(zipcodes: ZipData, q: string): { zip: string } | { city: string; state: string | null } {
  const s = q.trim().replace(/\s+/g, ' ')
  if (/^\d{5}$/.test(s)) return { zip: s }
  const m = /^(.+?)[,\s]\s*([A-Za-z]{2})$/.exec(s)
  if (m?.[1] && m[2] && zipcodes.states.abbr[m[2].toUpperCase()] !== undefined)
    return { city: m[1].trim(), state: m[2].toUpperCase() }
  return { city: s, state: null }
}

type Point = { lat: number; lon: number }
type Place = { city: string; state: string; zip: string | null; points: readonly Point[] }

/**
 * The place a query names: a ZIP's centroid, or every ZIP centroid of a city. A city is an area, not a point, so a
 * shop's distance from it is the distance to the city's nearest ZIP (below, in shopView): a shop in New York reads
 * 0 mi from "New York", one across the river reads how far outside the city it is, which is what a person asking
 * for "New York" means. Any single point for the city put its own shops miles off: the mean of its ZIPs is moved
 * by any odd centroid (the data's 10200 has its longitude's sign flipped, which alone moved "New York" 49 mi out to
 * sea, so 350 5th Ave, ZIP 10001, read 49.4 mi), and even a median is miles from most of a large city's shops.
 */
function placeOf(zipcodes: ZipData, q: string): Place | 'unknown' | { ambiguous: string[] } {
  const parsed = parseQuery(zipcodes, q)
  if ('zip' in parsed) {
    const z = zipcodes.lookup(parsed.zip)
    if (!z || z.country !== 'US') return 'unknown'
    return { city: z.city, state: z.state, zip: z.zip, points: [{ lat: z.latitude, lon: z.longitude }] }
  }
  const city = parsed.city.toUpperCase()
  const matches = parsed.state
    ? zipcodes.lookupByName(parsed.city, parsed.state)
    : Object.values(zipcodes.codes).filter((z) => z.country === 'US' && z.city.toUpperCase() === city)
  if (matches.length === 0) return 'unknown'
  const states = [...new Set(matches.map((z) => z.state))].sort()
  if (states.length > 1) return { ambiguous: states }
  const first = matches[0] as (typeof matches)[number]
  return {
    city: first.city,
    state: first.state,
    zip: null,
    points: matches.map((z) => ({ lat: z.latitude, lon: z.longitude }))
  }
}

function shopView(
  row: {
    id: string
    partner: string
    name: string
    street: string
    city: string
    state: string
    zip: string
    time_zone: string
    hours: string
    lat: number
    lon: number
  },
  from: readonly Point[] | null,
  now: Date
): ShopView {
  const at = { lat: Number(row.lat), lon: Number(row.lon) }
  const hours = JSON.parse(row.hours) as WeekHours
  const local = DateTime.fromJSDate(now).setZone(row.time_zone)
  return {
    id: row.id,
    partner: row.partner,
    name: row.name,
    street: row.street,
    city: row.city,
    state: row.state,
    zip: row.zip,
    timeZone: row.time_zone,
    hours,
    distanceMiles: from ? Math.min(...from.map((p) => milesBetween(p, at))) : 0,
    openNow: openAt(hours, local.weekday, local.toFormat('HH:mm'))
  }
}

function shopRows(ctx: ServiceContext) {
  return ctx.db
    .selectFrom('retail_shops as s')
    .innerJoin('partners as p', 'p.id', 's.partner_id')
    .select([
      's.id',
      'p.name as partner',
      's.name',
      's.street',
      's.city',
      's.state',
      's.zip',
      's.time_zone',
      's.hours',
      's.lat',
      's.lon',
      's.partner_id',
      's.created_at'
    ])
    .where('s.removed_at', 'is', null)
}

export async function searchShops(ctx: ServiceContext, q: string, limit: number): Promise<ShopSearchResult> {
  const place = placeOf(await zipData(), q)
  if (place === 'unknown') return { outcome: 'unknown', place: null, states: [], shops: [] }
  if ('ambiguous' in place) return { outcome: 'ambiguous', place: null, states: place.ambiguous, shops: [] }
  const now = ctx.clock.now()
  // Every live shop is a few thousand rows at most: sorting them here keeps one query for both databases.
  const rows = await shopRows(ctx).execute()
  const shops = rows
    .map((r) => shopView(r, place.points, now))
    .sort((a, b) => a.distanceMiles - b.distanceMiles || a.name.localeCompare(b.name))
    .slice(0, limit)
  return {
    outcome: 'found',
    place: { city: place.city, state: place.state, zip: place.zip },
    states: [],
    shops
  }
}

// ---- the operators' side ----

export interface ShopSpec {
  partnerId: string
  name: string
  street: string
  city: string
  state: string
  zip: string
  timeZone?: string | undefined
  hours: WeekHours
}

export async function addShop(ctx: ServiceContext, spec: ShopSpec, operatorId: string) {
  const partner = await findPartner(ctx, spec.partnerId)
  if (partner.kind !== 'retail')
    throw new ServiceError('conflict', 'shops belong to retail partners', { reason: 'partner-not-retail' })
  const z = (await zipData()).lookup(spec.zip)
  if (!z || z.country !== 'US')
    throw new ServiceError('invalid-input', `ZIP ${spec.zip} is not a known US ZIP`, {
      reason: 'shop-zip-unknown',
      params: { zip: spec.zip },
      issues: [{ path: 'zip', code: 'shop-zip-unknown', message: 'not a known US ZIP' }]
    })
  const state = spec.state.toUpperCase()
  const timeZone = spec.timeZone ?? zoneOfState(state) ?? zoneOfState(z.state) ?? 'America/New_York'
  const id = newId('shp')
  await ctx.db
    .insertInto('retail_shops')
    .values({
      id,
      partner_id: partner.id,
      name: spec.name,
      street: spec.street,
      city: spec.city,
      state,
      zip: spec.zip,
      lat: z.latitude,
      lon: z.longitude,
      time_zone: timeZone,
      hours: JSON.stringify(spec.hours),
      created_by: operatorId,
      created_at: ctx.clock.now().toISOString(),
      removed_at: null
    })
    .execute()
  return showShop(ctx, id)
}

export async function showShop(ctx: ServiceContext, id: string): Promise<ShopView & { partnerId: string }> {
  const row = await shopRows(ctx).where('s.id', '=', id).executeTakeFirst()
  if (!row) throw notFound('shop-not-found', 'the shop')
  return { ...shopView(row, null, ctx.clock.now()), partnerId: row.partner_id }
}

export async function listShops(ctx: ServiceContext, partnerId?: string) {
  let q = shopRows(ctx)
  if (partnerId) q = q.where('s.partner_id', '=', partnerId)
  const rows = await q.orderBy('s.state').orderBy('s.city').orderBy('s.name').execute()
  const now = ctx.clock.now()
  return rows.map((r) => ({ ...shopView(r, null, now), partnerId: r.partner_id }))
}

export async function removeShop(ctx: ServiceContext, id: string) {
  const before = await showShop(ctx, id)
  await ctx.db
    .updateTable('retail_shops')
    .set({ removed_at: ctx.clock.now().toISOString() })
    .where('id', '=', id)
    .where('removed_at', 'is', null)
    .execute()
  return before
}
