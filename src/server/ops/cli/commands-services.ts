/**
 * `dialtone-ops services ...` (issue 25 part 1): the connected services catalog. `list`; `add CODE --feature F
 * --fee 1.50 --default on|off --reason ...`; `price CODE --fee 2.00 --reason ...` (lines pay it from the next
 * month); `retire CODE --reason ...`. Fees are typed as money and sent as exact cents; 0 is free.
 */
import { SERVICE_FEATURES, type ServiceFeature } from '../../../shared/api/service-features'
import { UsageError } from './args'
import { type Command, flag, word } from './command'
import { record, table } from './table'

/** "1.50" -> 150 exactly (no floating point), "0" is free; at most 100.00. */
export function feeMinor(v: string): number {
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(v.trim())
  if (!m) throw new UsageError('--fee is an amount like 1.50 (0 for free, at most two decimals)')
  const minor = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'))
  if (minor > 10_000) throw new UsageError('--fee is at most 100.00 a month')
  return minor
}

function feature(v: string): ServiceFeature {
  if (!(SERVICE_FEATURES as readonly string[]).includes(v))
    throw new UsageError(`--feature is one of: ${SERVICE_FEATURES.join(', ')}`)
  return v as ServiceFeature
}

function onOff(v: string): boolean {
  if (v === 'on') return true
  if (v === 'off') return false
  throw new UsageError('--default is on or off')
}

type ServiceRow = { priceMinor: number; currency: string } & Record<string, unknown>
const row = (s: ServiceRow) => ({
  ...s,
  fee: s.priceMinor === 0 ? 'free' : `${(s.priceMinor / 100).toFixed(2)} ${s.currency}/month`
})
const COLUMNS = ['code', 'feature', 'fee', 'defaultOn', 'linesOn', 'retiredAt']

export const servicesCommands: readonly Command[] = [
  {
    name: 'services list',
    args: [],
    required: [],
    optional: [],
    help: 'the connected services catalog: feature, monthly fee, on for new lines, lines switched on, retired',
    async run(io) {
      const out = await io.client().call('opsServicesList', undefined)
      return { json: out, human: table(out.services.map(row), COLUMNS) }
    }
  },
  {
    name: 'services add',
    args: ['code'],
    required: ['feature', 'fee', 'default', 'reason'],
    optional: [],
    help: `offer a service: --feature ${SERVICE_FEATURES.join('|')} --fee 1.50 (0 free) --default on|off --reason`,
    async run(io) {
      const out = await io.client().call('opsServicesAdd', {
        code: word(io, 0, 'service code'),
        feature: feature(flag(io, 'feature')),
        priceMinor: feeMinor(flag(io, 'fee')),
        defaultOn: onOff(flag(io, 'default')),
        reason: flag(io, 'reason')
      })
      return { json: out, human: record(row(out.service)) }
    }
  },
  {
    name: 'services price',
    args: ['code'],
    required: ['fee', 'reason'],
    optional: [],
    help: "change a service's monthly fee (--fee 2.00, 0 free); lines pay it from the next month; --reason",
    async run(io) {
      const out = await io.client().call('opsServicesPrice', {
        code: word(io, 0, 'service code'),
        priceMinor: feeMinor(flag(io, 'fee')),
        reason: flag(io, 'reason')
      })
      return { json: out, human: record(row(out.service)) }
    }
  },
  {
    name: 'services retire',
    args: ['code'],
    required: ['reason'],
    optional: [],
    help: 'stop offering a service (lines that have it keep it until they switch it off); --reason',
    async run(io) {
      const out = await io.client().call('opsServicesRetire', {
        code: word(io, 0, 'service code'),
        reason: flag(io, 'reason')
      })
      return { json: out, human: record(row(out.service)) }
    }
  }
]
