/**
 * `dialtone-ops support ...` and `shops ...` (issue 25): read the people's support requests (the diagnostics
 * report attached shown in words), answer and close them; keep the list of the retail partners' shops that sell
 * Re-Up cards, with opening hours ("mon-fri 09:00-18:00; sat 10:00-14:00", in the shop's time zone).
 */
import { SUPPORT_STATUSES, type SupportStatus } from '../../../shared/api/support-statuses'
import { HoursSyntaxError, WEEKDAYS, type WeekHours, parseHours } from '../../../shared/help/hours'
import { UsageError } from './args'
import { type Command, flag, opt, word } from './command'
import { safe, supportDetailText } from './support-text'
import { record, table } from './table'

function status(v: string | undefined): SupportStatus | undefined {
  if (v === undefined) return undefined
  if (!(SUPPORT_STATUSES as readonly string[]).includes(v))
    throw new UsageError(`--status is one of: ${SUPPORT_STATUSES.join(', ')}`)
  return v as SupportStatus
}

function hours(v: string): WeekHours {
  try {
    return parseHours(v)
  } catch (e) {
    if (e instanceof HoursSyntaxError) throw new UsageError(`--hours: ${e.message}`)
    throw e
  }
}

/** "mon 09:00-18:00, tue closed, ..." for the table. */
const hoursText = (h: WeekHours): string =>
  WEEKDAYS.map((d) => {
    const day = h[d]
    return `${d} ${day ? `${day.open}-${day.close}` : 'closed'}`
  }).join(', ')

const shopRow = (s: { hours: WeekHours } & Record<string, unknown>) => ({ ...s, hours: hoursText(s.hours) })
const SHOP_COLUMNS = [
  'id',
  'partner',
  'name',
  'street',
  'city',
  'state',
  'zip',
  'timeZone',
  'openNow',
  'hours'
]

export const supportCommands: readonly Command[] = [
  {
    name: 'support list',
    args: [],
    required: [],
    optional: ['status'],
    help: "people's support requests, the latest change first [--status open|answered|closed]",
    async run(io) {
      const s = status(opt(io, 'status'))
      const out = await io.client().call('opsSupportList', s ? { status: s } : {})
      const rows = out.requests.map((r) => ({ ...r, email: r.email === null ? null : safe(r.email) }))
      return {
        json: out,
        human: table(rows, [
          'id',
          'reference',
          'status',
          'topic',
          'email',
          'messages',
          'hasDiagnostics',
          'updatedAt'
        ])
      }
    }
  },
  {
    name: 'support show',
    args: ['id'],
    required: [],
    optional: [],
    help: 'a request: its conversation and the diagnostics report attached, in words',
    async run(io) {
      const out = await io.client().call('opsSupportShow', { requestId: word(io, 0, 'request id') })
      return { json: out, human: supportDetailText(out) }
    }
  },
  {
    name: 'support reply',
    args: ['id'],
    required: ['text'],
    optional: [],
    help: 'answer a request (--text "..."): it becomes answered and the person is emailed the reply',
    async run(io) {
      const out = await io
        .client()
        .call('opsSupportReply', { requestId: word(io, 0, 'request id'), text: flag(io, 'text') })
      return { json: out, human: `Request ${out.request.reference} answered; the person was emailed.\n` }
    }
  },
  {
    name: 'support close',
    args: ['id'],
    required: [],
    optional: [],
    help: 'close a request',
    async run(io) {
      const out = await io.client().call('opsSupportClose', { requestId: word(io, 0, 'request id') })
      return { json: out, human: `Request ${out.request.reference} closed.\n` }
    }
  },
  {
    name: 'shops add',
    args: [],
    required: ['partner', 'name', 'street', 'city', 'state', 'zip', 'hours'],
    optional: ['time-zone'],
    help:
      'add a shop that sells Re-Up cards (--partner ptn_… --name "Corner shop" --street "1 Main St" --city Austin ' +
      '--state TX --zip 78701 --hours "mon-fri 09:00-18:00; sat 10:00-14:00" [--time-zone America/Chicago]); ' +
      "days not named are closed; the zone defaults to the state's",
    async run(io) {
      const zone = opt(io, 'time-zone')
      const out = await io.client().call('opsShopsAdd', {
        partnerId: flag(io, 'partner'),
        name: flag(io, 'name'),
        street: flag(io, 'street'),
        city: flag(io, 'city'),
        state: flag(io, 'state'),
        zip: flag(io, 'zip'),
        ...(zone !== undefined ? { timeZone: zone } : {}),
        hours: hours(flag(io, 'hours'))
      })
      return { json: out, human: record(shopRow(out.shop)) }
    }
  },
  {
    name: 'shops list',
    args: [],
    required: [],
    optional: ['partner'],
    help: 'the shops that sell Re-Up cards [--partner ptn_…], by state and city',
    async run(io) {
      const partner = opt(io, 'partner')
      const out = await io.client().call('opsShopsList', partner ? { partnerId: partner } : {})
      return { json: out, human: table(out.shops.map(shopRow), SHOP_COLUMNS) }
    }
  },
  {
    name: 'shops remove',
    args: ['id'],
    required: [],
    optional: [],
    help: 'remove a shop from the search',
    async run(io) {
      const out = await io.client().call('opsShopsRemove', { shopId: word(io, 0, 'shop id') })
      return { json: out, human: `Shop ${out.shop.name} (${out.shop.id}) removed.\n` }
    }
  }
]
