/**
 * The commands of `dialtone-ops`, as one table: the words that name each, the flags it takes (anything else is a
 * usage error), its help line, and what it does. Each command answers the service's result (printed as JSON with
 * --json) and its human rendering (a table or key: value lines). Secrets the service gives once (an enrolment
 * token, recovery codes, PINs, an API key) are printed once or written to a 0600 file, never stored otherwise.
 */
import { readFileSync } from 'node:fs'
import { PERMISSIONS, ROLES, type Permission } from '../../../shared/ops/permissions'
import { UsageError } from './args'
import { carriersCommands } from './commands-carriers'
import { type Command, type CommandIo, expiry, flag, opt, positiveInt, word } from './command'
import { numbersCommands } from './commands-numbers'
import { moneyCommands } from './commands-money'
import { promotionsCommands } from './commands-promotions'
import { supportCommands } from './commands-support'
import { servicesCommands } from './commands-services'
import { businessCommands } from './commands-business'
import { accountsCommands } from './commands-accounts'
import { forgetSession, saveSession, writePrivate } from './credentials'
import { enrolCommand, enrolToken } from './enrol-token'
import { record, table } from './table'

const auditFlags = ['actor', 'action', 'target', 'outcome', 'from', 'to', 'limit'] as const
function auditFilter(io: CommandIo) {
  const f: Record<string, string | number> = {}
  for (const k of auditFlags) {
    const v = opt(io, k)
    if (v !== undefined) f[k] = k === 'limit' ? positiveInt(v, k) : v
  }
  return f
}

function pinsCsv(cards: readonly { serial: string; pin: string }[]): string {
  return ['serial,pin', ...cards.map((c) => `${c.serial},${c.pin}`)].join('\n') + '\n'
}

const CORE_COMMANDS: readonly Command[] = [
  {
    name: 'login',
    args: [],
    required: ['email'],
    optional: ['code'],
    help: 'sign in: password (DIALTONE_OPS_PASSWORD, stdin or prompt) and an authenticator or recovery code',
    async run(io) {
      const password = await io.secret('Password: ', 'DIALTONE_OPS_PASSWORD')
      const code =
        opt(io, 'code') ??
        (await io.secret('Authenticator code: ', 'DIALTONE_OPS_CODE', { alternative: '--code' }))
      const c = io.anonymous()
      const out = await c.call('opsLogin', { email: flag(io, 'email'), password, code })
      const path = saveSession(io.env, {
        url: c.base,
        token: out.token,
        expiresAt: out.expiresAt,
        email: out.operator.email
      })
      const shown = { operator: out.operator, expiresAt: out.expiresAt, sessionFile: path }
      return {
        json: shown,
        human: `Signed in as ${out.operator.email} (${out.operator.role}) until ${out.expiresAt}.\n`
      }
    }
  },
  {
    name: 'logout',
    args: [],
    required: [],
    optional: [],
    help: 'end the session and forget it',
    async run(io) {
      await io.client().call('opsLogout')
      forgetSession(io.env)
      return { json: { ok: true }, human: 'Signed out.\n' }
    }
  },
  {
    name: 'whoami',
    args: [],
    required: [],
    optional: [],
    help: 'who the session or API key is and what it may do',
    async run(io) {
      const me = await io.client().call('opsWhoami')
      return { json: me, human: record({ ...me, permissions: me.permissions.join(', ') }) }
    }
  },
  {
    name: 'enrol',
    args: [],
    required: [],
    optional: ['token'],
    help: 'first step for a new operator: choose a password; prints the otpauth:// URI and recovery codes ONCE (--token or DIALTONE_OPS_ENROL_TOKEN)',
    async run(io) {
      const token = enrolToken(io)
      const password = await io.secret('Choose a password: ', 'DIALTONE_OPS_PASSWORD', { confirm: true })
      const out = await io.anonymous().call('opsEnrol', { token, password })
      const human =
        `Add this to your authenticator app (scan or paste):\n  ${out.otpauthUri}\n` +
        `Secret (for manual entry): ${out.secret}\n\n` +
        `Recovery codes — each works once; keep them offline, they are not shown again:\n` +
        out.recoveryCodes.map((c) => `  ${c}`).join('\n') +
        `\n\nThen finish with: ${io.self} enrol-confirm --code <6 digits>, the token given as here (DIALTONE_OPS_ENROL_TOKEN or --token)\n`
      return { json: out, human }
    }
  },
  {
    name: 'enrol-confirm',
    args: [],
    required: ['code'],
    optional: ['token'],
    help: 'second step: the current authenticator code; the operator becomes active (--token or DIALTONE_OPS_ENROL_TOKEN)',
    async run(io) {
      const out = await io
        .anonymous()
        .call('opsEnrolConfirm', { token: enrolToken(io), code: flag(io, 'code') })
      return {
        json: out,
        human: `Enrolled: ${out.operator.email} (${out.operator.role}). Sign in with ${io.self} login --email ${out.operator.email}.\n`
      }
    }
  },
  {
    name: 'operators create',
    args: [],
    required: ['email', 'name', 'role'],
    optional: ['partner'],
    help: `create an operator (roles: ${ROLES.join(', ')}); prints the enrolment token ONCE`,
    async run(io) {
      const partner = opt(io, 'partner')
      const out = await io.client().call('opsOperatorsCreate', {
        email: flag(io, 'email'),
        name: flag(io, 'name'),
        role: flag(io, 'role') as (typeof ROLES)[number],
        ...(partner ? { partnerId: partner } : {})
      })
      const human =
        record({ ...out.operator, enrolmentExpiresAt: out.enrolmentExpiresAt }) +
        `\nGive the new operator this enrolment token (shown once):\n  ${out.enrolmentToken}\n` +
        `They run: ${enrolCommand(io.self)}\n`
      return { json: out, human }
    }
  },
  {
    name: 'operators list',
    args: [],
    required: [],
    optional: [],
    help: 'every operator',
    async run(io) {
      const out = await io.client().call('opsOperatorsList')
      return {
        json: out,
        human: table(out.operators, ['id', 'email', 'name', 'role', 'partnerId', 'status', 'createdAt'])
      }
    }
  },
  {
    name: 'partners create',
    args: [],
    required: ['name', 'kind'],
    optional: [],
    help: 'create a partner (kind: retail or webshop)',
    async run(io) {
      const out = await io.client().call('opsPartnersCreate', {
        name: flag(io, 'name'),
        kind: flag(io, 'kind') as 'retail' | 'webshop'
      })
      return { json: out, human: record(out.partner) }
    }
  },
  {
    name: 'partners list',
    args: [],
    required: [],
    optional: [],
    help: 'every partner',
    async run(io) {
      const out = await io.client().call('opsPartnersList')
      return { json: out, human: table(out.partners, ['id', 'name', 'kind', 'activeKeys', 'createdAt']) }
    }
  },
  {
    name: 'partners rotate-key',
    args: ['partner-id'],
    required: [],
    optional: ['out'],
    help: "issue the partner's API key (earlier keys stop working); --out FILE writes it 0600, else it is printed once",
    async run(io) {
      const out = await io.client().call('opsPartnerKeyRotate', { partnerId: word(io, 0, 'partner id') })
      const named = opt(io, 'out')
      const file = named === undefined ? undefined : io.file(named)
      if (file) writePrivate(file, out.apiKey + '\n')
      const shown = file ? { ...out, apiKey: `written to ${file}` } : out
      return {
        json: shown,
        human:
          record(shown) + (file ? '' : 'The key is shown once; store it in a file only its user can read.\n')
      }
    }
  },
  {
    name: 'partners rotate-secret',
    args: ['partner-id'],
    required: [],
    optional: ['out'],
    help: "issue a web shop's webhook signing secret (the earlier one stops at once); --out FILE writes it 0600",
    async run(io) {
      const out = await io.client().call('opsPartnerSecretRotate', { partnerId: word(io, 0, 'partner id') })
      const named = opt(io, 'out')
      const file = named === undefined ? undefined : io.file(named)
      if (file) writePrivate(file, out.secret + '\n')
      const shown = file ? { ...out, secret: `written to ${file}` } : out
      return { json: shown, human: record(shown) + (file ? '' : 'The secret is shown once.\n') }
    }
  },
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
      const named = opt(io, 'out')
      const file = named === undefined ? undefined : io.file(named)
      if (file) writePrivate(file, out.csv)
      return {
        json: file ? { count: out.count, file } : out,
        human: file ? `${out.count} events written to ${file}\n` : out.csv
      }
    }
  },
  {
    name: 'registry import',
    args: ['csv-file'],
    required: ['batch', 'reason'],
    optional: [],
    help: 'import a factory batch (CSV: model,serial,public_key); all rows or none, bad rows named by line',
    async run(io) {
      const path = word(io, 0, 'CSV file')
      let csv: string
      try {
        csv = readFileSync(io.file(path), 'utf8')
      } catch {
        throw new UsageError(`cannot read ${io.file(path)}`)
      }
      const out = await io
        .client()
        .call('opsRegistryImport', { batch: flag(io, 'batch'), csv, reason: flag(io, 'reason') })
      return { json: out, human: `Imported ${out.added} dongles as batch ${out.batch}.\n` }
    }
  },
  {
    name: 'registry show',
    args: ['serial'],
    required: [],
    optional: [],
    help: "a serial's history: made, shipped, sold, activated, transferred",
    async run(io) {
      const out = await io.client().call('opsRegistryShow', { serial: word(io, 0, 'serial') })
      return {
        json: out,
        human:
          record({ serial: out.serial, model: out.model, batch: out.batch, revokedAt: out.revokedAt }) +
          '\n' +
          table(out.history, ['at', 'event', 'detail'])
      }
    }
  },
  {
    name: 'vouchers create-batch',
    args: [],
    required: ['name', 'plan', 'size', 'expires', 'reason'],
    optional: [],
    help: 'create a batch of Re-Up cards (--plan line-1y@1 --size 100 --expires 2027-12-31)',
    async run(io) {
      const plan = flag(io, 'plan')
      // A batch is of one version of a plan; a bare code (the README's `line-1m`) was refused as "not found".
      if (!plan.includes('@'))
        throw new UsageError(
          `--plan is a plan and its version, code@version: ${plan}@1 is its first (vouchers report shows those in use)`
        )
      const out = await io.client().call('opsVouchersCreate', {
        name: flag(io, 'name'),
        planId: plan,
        size: positiveInt(flag(io, 'size'), 'size'),
        expiresAt: expiry(flag(io, 'expires')),
        reason: flag(io, 'reason')
      })
      return {
        json: out,
        human: `Batch ${out.batchId}: ${out.size} cards. Next: ${io.self} vouchers export-pins ${out.batchId} --reason "…"\n`
      }
    }
  },
  {
    name: 'vouchers export-pins',
    args: ['batch-id'],
    required: ['reason'],
    optional: ['out'],
    help: "the batch's serials and PINs as CSV for the printer — works ONCE (--out FILE writes it 0600)",
    async run(io) {
      const out = await io
        .client()
        .call('opsVouchersExportPins', { batchId: word(io, 0, 'batch id'), reason: flag(io, 'reason') })
      const csv = pinsCsv(out.cards)
      const named = opt(io, 'out')
      const file = named === undefined ? undefined : io.file(named)
      if (file) writePrivate(file, csv)
      return {
        json: file ? { batchId: out.batchId, cards: out.cards.length, file } : out,
        human: file ? `${out.cards.length} PINs written to ${file}; the service no longer has them.\n` : csv
      }
    }
  },
  {
    name: 'vouchers ship',
    args: ['batch-id'],
    required: ['partner', 'reason'],
    optional: [],
    help: 'ship a batch to a retail partner: its tills may sell the cards',
    async run(io) {
      const out = await io.client().call('opsVouchersShip', {
        batchId: word(io, 0, 'batch id'),
        partnerId: flag(io, 'partner'),
        reason: flag(io, 'reason')
      })
      return { json: out, human: `Shipped ${out.shipped} cards of ${out.batchId} to ${out.partnerId}.\n` }
    }
  },
  {
    name: 'vouchers activate',
    args: ['serial'],
    required: [],
    optional: [],
    help: "the till's sale of one card (a partner API key; only cards shipped to that partner)",
    async run(io) {
      const out = await io.client().call('opsTillActivate', { serial: word(io, 0, 'card serial') })
      return { json: out, human: `Card ${out.serial} is active.\n` }
    }
  },
  {
    name: 'vouchers block-batch',
    args: ['batch-id'],
    required: ['reason'],
    optional: [],
    help: 'block every card of a lost or stolen batch not yet redeemed (made, shipped or sold)',
    async run(io) {
      const out = await io
        .client()
        .call('opsVouchersBlock', { batchId: word(io, 0, 'batch id'), reason: flag(io, 'reason') })
      return { json: out, human: `Blocked ${out.blocked} cards of ${out.batchId}.\n` }
    }
  },
  {
    name: 'vouchers report',
    args: [],
    required: [],
    optional: [],
    help: 'every batch: partner, PIN export, cards by state',
    async run(io) {
      const out = await io.client().call('opsVouchersReport')
      const rows = out.batches.map((b) => ({ ...b, ...b.counts, exported: b.pinsExportedAt ? 'yes' : 'no' }))
      return {
        json: out,
        human: table(rows, [
          'id',
          'name',
          'planId',
          'size',
          'partnerId',
          'exported',
          'generated',
          'inactive',
          'active',
          'redeemed',
          'expired',
          'blocked'
        ])
      }
    }
  },
  {
    name: 'permissions',
    args: [],
    required: [],
    optional: [],
    help: 'the permission table: which role may do what',
    async run() {
      const rows = (Object.keys(PERMISSIONS) as Permission[]).map((p) => ({
        permission: p,
        roles: PERMISSIONS[p].roles.join(', '),
        reason: PERMISSIONS[p].reason ? 'required' : '',
        allows: PERMISSIONS[p].doc
      }))
      return { json: PERMISSIONS, human: table(rows, ['permission', 'roles', 'reason', 'allows']) }
    }
  }
]

/** Every command, topic by topic (one line per topic file). */
export const COMMANDS: readonly Command[] = [
  // promotions (issue 20)
  ...promotionsCommands,

  // accounts (issue 20)
  ...accountsCommands,

  // money (issue 20)
  ...moneyCommands,

  // numbers and reports (issue 20)
  ...numbersCommands,

  // carriers (issue 22)
  ...carriersCommands,

  // support (issue 25)
  ...supportCommands,
  // business (issue 25)
  ...businessCommands,

  // services (issue 25)
  ...servicesCommands,

  ...CORE_COMMANDS
]
