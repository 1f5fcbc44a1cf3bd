/**
 * `dialtone-ops` commands of the topic "numbers and reports" (issue 20): number ranges and the pool, the CSV
 * reports (to stdout, or to a file only its user can read: they hold subscribers' names and emails), disabling
 * and enabling operators, and dongles shipped to a partner.
 */
import { readFileSync } from 'node:fs'
import { UsageError } from './args'
import { type Command, type CommandIo, flag, opt, positiveInt, word } from './command'
import { writePrivate } from './credentials'
import { record, table } from './table'

/** A report's answer: the CSV on stdout, or written 0600 to --out with a line saying what went where. */
function reportOutput(
  io: CommandIo,
  what: string,
  out: { zone: string; from: string | null; to: string | null; rows: number; csv: string }
) {
  const named = opt(io, 'out')
  if (!named) return { json: out, human: out.csv }
  const file = io.file(named)
  writePrivate(file, out.csv)
  const period = out.from ? `, ${out.from} to ${out.to}` : ''
  return {
    json: { zone: out.zone, from: out.from, to: out.to, rows: out.rows, file },
    human: `${out.rows} row(s) of ${what} (days in ${out.zone}${period}) written to ${file}\n`
  }
}

function period(io: CommandIo) {
  const zone = opt(io, 'zone')
  return { from: flag(io, 'from'), to: flag(io, 'to'), ...(zone ? { zone } : {}) }
}

/** "A,B,C" or "@file" (one serial a line). */
function serials(io: CommandIo, v: string): string[] {
  let text = v
  if (v.startsWith('@')) {
    const path = io.file(v.slice(1))
    try {
      text = readFileSync(path, 'utf8')
    } catch {
      throw new UsageError(`cannot read ${path}`)
    }
  }
  const list = text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '')
  if (list.length === 0) throw new UsageError('name at least one serial')
  return list
}

export const numbersCommands: readonly Command[] = [
  {
    name: 'numbers add-range',
    args: [],
    required: ['area', 'from', 'to', 'reason'],
    optional: [],
    help: 'add numbers to the pool (--area 212 --from 2124560100 --to 2124560199): one exchange, at most 1,000, all or none',
    async run(io) {
      const out = await io.client().call('opsNumbersAddRange', {
        areaCode: flag(io, 'area'),
        from: flag(io, 'from'),
        to: flag(io, 'to'),
        reason: flag(io, 'reason')
      })
      return {
        json: out,
        human: `Added ${out.added} numbers ${out.from}..${out.to} to area code ${out.areaCode} (${out.country}).\n`
      }
    }
  },
  {
    name: 'numbers list',
    args: [],
    required: [],
    optional: ['area'],
    help: 'the pool per area code: free, assigned, in quarantine (--area for one)',
    async run(io) {
      const area = opt(io, 'area')
      const out = await io.client().call('opsNumbersList', area ? { areaCode: area } : {})
      return {
        json: out,
        human: table(out.areas, ['areaCode', 'country', 'free', 'assigned', 'quarantine', 'total'])
      }
    }
  },
  {
    name: 'numbers quarantine',
    args: [],
    required: [],
    optional: ['area', 'limit'],
    help: 'numbers resting in quarantine after release, with since and until (--area, --limit)',
    async run(io) {
      const area = opt(io, 'area')
      const limit = opt(io, 'limit')
      const out = await io.client().call('opsNumbersQuarantine', {
        ...(area ? { areaCode: area } : {}),
        ...(limit ? { limit: positiveInt(limit, 'limit') } : {})
      })
      return { json: out, human: table(out.numbers, ['number', 'areaCode', 'since', 'until']) }
    }
  },
  {
    name: 'reports active-lines',
    args: [],
    required: [],
    optional: ['zone', 'out'],
    help: 'every line in service as CSV, to stdout or --out FILE (0600)',
    async run(io) {
      const zone = opt(io, 'zone')
      const out = await io.client().call('opsReportActiveLines', zone ? { zone } : {})
      return reportOutput(io, 'active lines', out)
    }
  },
  {
    name: 'reports renewals',
    args: [],
    required: ['from', 'to'],
    optional: ['zone', 'out'],
    help: 'renewals and revenue per day (--from 2026-12-01 --to 2026-12-31; days in America/New_York unless --zone)',
    async run(io) {
      const out = await io.client().call('opsReportRenewals', period(io))
      return reportOutput(io, 'renewals', out)
    }
  },
  {
    name: 'reports vouchers',
    args: [],
    required: ['from', 'to'],
    optional: ['zone', 'out'],
    help: 'Re-Up cards sold at a till and redeemed, per day and batch (--from --to, --zone, --out)',
    async run(io) {
      const out = await io.client().call('opsReportVouchers', period(io))
      return reportOutput(io, 'Re-Up cards', out)
    }
  },
  {
    name: 'operators disable',
    args: ['operator-id'],
    required: ['reason'],
    optional: [],
    help: 'disable an operator: sign-in refused, every session ended at once',
    async run(io) {
      const out = await io.client().call('opsOperatorsDisable', {
        operatorId: word(io, 0, 'operator id'),
        reason: flag(io, 'reason')
      })
      return {
        json: out,
        human: record(out.operator) + `Sessions ended: ${out.sessionsEnded}\n`
      }
    }
  },
  {
    name: 'operators enable',
    args: ['operator-id'],
    required: ['reason'],
    optional: [],
    help: 'enable a disabled operator again (they sign in anew)',
    async run(io) {
      const out = await io.client().call('opsOperatorsEnable', {
        operatorId: word(io, 0, 'operator id'),
        reason: flag(io, 'reason')
      })
      return { json: out, human: record(out.operator) }
    }
  },
  {
    name: 'registry ship',
    args: ['serials'],
    required: ['partner', 'reason'],
    optional: [],
    help: 'record dongles shipped to a partner: SERIAL[,SERIAL…] or @FILE (one a line); all or none',
    async run(io) {
      const out = await io.client().call('opsRegistryShip', {
        partnerId: flag(io, 'partner'),
        serials: serials(io, word(io, 0, 'serials')),
        reason: flag(io, 'reason')
      })
      return { json: out, human: `Shipped ${out.shipped} dongle(s) to ${out.partnerId}.\n` }
    }
  }
]
