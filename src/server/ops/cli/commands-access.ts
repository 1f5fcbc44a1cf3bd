/**
 * `dialtone-ops` commands on who may act: operators (created with an enrolment token printed once) and partners,
 * a partner's API key and a web shop's webhook signing secret (printed once, or written to a 0600 file with
 * --out), and the permission table of which role may do what.
 */
import { PERMISSIONS, ROLES, type Permission } from '../../../shared/ops/permissions'
import { type Command, flag, opt, outFile, word } from './command'
import { writePrivate } from './credentials'
import { enrolCommand } from './enrol-token'
import { record, table } from './table'

export const accessCommands: readonly Command[] = [
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
      const file = outFile(io)
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
      const file = outFile(io)
      if (file) writePrivate(file, out.secret + '\n')
      const shown = file ? { ...out, secret: `written to ${file}` } : out
      return { json: shown, human: record(shown) + (file ? '' : 'The secret is shown once.\n') }
    }
  }
]

/** Last in the help, after every command it describes. */
export const permissionsCommand: Command = {
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
