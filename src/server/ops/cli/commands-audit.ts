/**
 * `dialtone-ops audit …`: search the audit log (newest first) or export it as CSV (oldest first, to stdout or a
 * 0600 file), both filtered by the same flags: actor, action, target, outcome, a period and a limit.
 */
import { type Command, type CommandIo, opt, outFile, positiveInt } from './command'
import { writePrivate } from './credentials'
import { table } from './table'

const auditFlags = ['actor', 'action', 'target', 'outcome', 'from', 'to', 'limit'] as const
function auditFilter(io: CommandIo) {
  const f: Record<string, string | number> = {}
  for (const k of auditFlags) {
    const v = opt(io, k)
    if (v !== undefined) f[k] = k === 'limit' ? positiveInt(v, k) : v
  }
  return f
}

export const auditCommands: readonly Command[] = [
  {
    name: 'audit search',
    args: [],
    required: [],
    optional: auditFlags,
    help: 'search the audit log, newest first (--actor --action --target --outcome --from --to --limit)',
    async run(io) {
      const out = await io.client().call('opsAuditSearch', auditFilter(io))
      return {
        json: out,
        human: table(out.events, [
          'at',
          'actorId',
          'actorRole',
          'action',
          'target',
          'outcome',
          'reason',
          'error'
        ])
      }
    }
  },
  {
    name: 'audit export',
    args: [],
    required: [],
    optional: [...auditFlags, 'out'],
    help: 'the audit log as CSV, oldest first, to stdout or --out FILE',
    async run(io) {
      const out = await io.client().call('opsAuditExport', auditFilter(io))
      const file = outFile(io)
      if (file) writePrivate(file, out.csv)
      return {
        json: file ? { count: out.count, file } : out,
        human: file ? `${out.count} events written to ${file}\n` : out.csv
      }
    }
  }
]
