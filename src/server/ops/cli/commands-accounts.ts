/**
 * `dialtone-ops accounts …` (issue 20): find and show accounts, create business and legal-entity accounts (the
 * contact gets an email invitation), take a legal entity's written plan change, send codes again, clear sign-in
 * delays, suspend and restore a line, move a dongle between accounts. Money and ownership changes take --reason,
 * and so does looking at a person's account (find, show).
 */
import type { AccountView } from '../../../shared/ops/routes-accounts'
import { UsageError } from './args'
import { type Command, type CommandIo, flag, opt, word } from './command'
import { record, table } from './table'

/** The owner's latest request to close the account, in a line (null: never asked). */
function closureText(c: AccountView['closure']): string | null {
  if (!c) return null
  if (c.status === 'scheduled')
    return `closing on ${c.closesAt} (asked ${c.requestedAt}; signing in and "Keep my account" cancels it)`
  if (c.status === 'cancelled') return `closure asked ${c.requestedAt}, cancelled ${c.endedAt ?? ''}`
  return `closed at the owner's request on ${c.endedAt ?? c.closesAt}`
}

/** One account for people: who, then its lines and dongles. */
function showAccount(a: AccountView): string {
  const head = record({
    id: a.id,
    type: a.type,
    status: a.status,
    name: a.name,
    company: a.company,
    timeZone: a.timeZone,
    emails: a.emails
      .map((e) => `${e.address}${e.verified ? '' : ' (unconfirmed)'}${e.preferred ? ' *' : ''}`)
      .join(', '),
    phones: a.phones.map((p) => p.e164).join(', ') || null,
    invitation: a.invitation
      ? a.invitation.acceptedAt
        ? `accepted ${a.invitation.acceptedAt}`
        : `sent ${a.invitation.sentAt} to ${a.invitation.email}, not used yet`
      : null,
    cards: a.cards
      ? a.cards.map((c) => `${c.brand} …${c.last4} ${c.expMonth}/${c.expYear}`).join(', ') || 'none'
      : `${a.cardsOnFile} on file`,
    signIn: a.signInDelayed ? 'delayed after failed attempts (accounts unlock clears it)' : 'not delayed',
    closure: closureText(a.closure)
  })
  const lines = a.lines.map((l) => ({
    ...l,
    pendingChange: l.pendingChange ? `${l.pendingChange.toPlan} on ${l.pendingChange.effectiveDate}` : null,
    suspension: l.suspension
      ? `${l.suspension.reason} (${l.suspension.by ?? 'an operator since removed'})`
      : null
  }))
  return (
    head +
    '\nLines:\n' +
    table(lines, [
      'id',
      'number',
      'status',
      'deviceSerial',
      'plan',
      'paidThrough',
      'suspendedAt',
      'suspension',
      'pendingChange'
    ]) +
    'Dongles:\n' +
    table(a.devices, ['serial', 'model', 'channel'])
  )
}

const ACCOUNT_TYPES: Record<string, 'business' | 'legal_entity'> = {
  business: 'business',
  'legal-entity': 'legal_entity'
}

function accountType(io: CommandIo): 'business' | 'legal_entity' {
  const t = ACCOUNT_TYPES[flag(io, 'type')]
  if (!t) throw new UsageError('--type is business or legal-entity')
  return t
}

export const accountsCommands: readonly Command[] = [
  {
    name: 'accounts find',
    args: [],
    required: ['reason'],
    optional: ['email', 'number', 'serial'],
    help: 'the accounts with this --email, --number (line or phone, also past) or dongle --serial; --reason: why you look (kept in the audit log)',
    async run(io) {
      const q = { email: opt(io, 'email'), number: opt(io, 'number'), serial: opt(io, 'serial') }
      if (Object.values(q).filter((v) => v !== undefined).length !== 1)
        throw new UsageError('give exactly one of --email, --number or --serial')
      const reason = flag(io, 'reason')
      const out = await io.client().call('opsAccountsFind', {
        ...(q.email !== undefined ? { email: q.email } : {}),
        ...(q.number !== undefined ? { number: q.number } : {}),
        ...(q.serial !== undefined ? { serial: q.serial } : {}),
        reason
      })
      return { json: out, human: out.accounts.map(showAccount).join('\n') }
    }
  },
  {
    name: 'accounts show',
    args: ['account-id'],
    required: ['reason'],
    optional: [],
    help: 'one account: emails, lines, numbers, dongles, status; --reason: why you look (kept in the audit log)',
    async run(io) {
      const input = { accountId: word(io, 0, 'account id'), reason: flag(io, 'reason') }
      const out = await io.client().call('opsAccountsShow', input)
      return { json: out, human: showAccount(out.account) }
    }
  },
  {
    name: 'accounts create',
    args: [],
    required: ['type', 'company', 'contact', 'email', 'street', 'city', 'postal-code', 'country'],
    optional: ['unit', 'region', 'phone', 'time-zone', 'language'],
    help: 'a business or legal-entity account (--type business|legal-entity); the contact is emailed an invitation to choose the password, in --language (en fa fr hr ro sl; English when not given)',
    async run(io) {
      const unit = opt(io, 'unit')
      const phone = opt(io, 'phone')
      const timeZone = opt(io, 'time-zone')
      const language = opt(io, 'language')
      const out = await io.client().call('opsAccountsCreate', {
        type: accountType(io),
        company: flag(io, 'company'),
        contactName: flag(io, 'contact'),
        email: flag(io, 'email'),
        billingAddress: {
          street: flag(io, 'street'),
          ...(unit !== undefined ? { unit } : {}),
          city: flag(io, 'city'),
          region: opt(io, 'region') ?? '',
          postalCode: flag(io, 'postal-code'),
          country: flag(io, 'country')
        },
        ...(phone !== undefined ? { phone } : {}),
        ...(timeZone !== undefined ? { timeZone } : {}),
        // Checked by the service: a language it does not speak is refused by name (not-allowed-value).
        ...(language !== undefined ? { language: language as 'en' } : {})
      })
      return {
        json: out,
        human:
          showAccount(out.account) +
          `\nInvitation emailed to ${out.account.emails[0]?.address ?? '-'}; its code works until ${out.invitationExpiresAt}.\n`
      }
    }
  },
  {
    name: 'plans list',
    args: [],
    required: [],
    optional: [],
    help: 'every plan version with its id (code@version: what accounts plan-change --plan and vouchers create --plan take)',
    async run(io) {
      const out = await io.client().call('opsPlansList')
      const rows = out.plans.map((p) => ({
        ...p,
        price: `${(p.priceMinor / 100).toFixed(2)} ${p.currency}`,
        every: `${p.intervalCount} ${p.interval}`
      }))
      return { json: out, human: table(rows, ['id', 'name', 'kind', 'price', 'every', 'onSale']) }
    }
  },
  {
    name: 'accounts plan-change',
    args: ['account-id'],
    required: ['line', 'plan', 'reason'],
    optional: [],
    help: "a legal entity's written plan-change request: effective the next month's 1st in its time zone",
    async run(io) {
      const out = await io.client().call('opsAccountsPlanChange', {
        accountId: word(io, 0, 'account id'),
        lineId: flag(io, 'line'),
        planId: flag(io, 'plan'),
        reason: flag(io, 'reason')
      })
      return {
        json: out,
        human: `Line ${out.lineId}: ${out.fromPlan} changes to ${out.toPlan} on ${out.effectiveDate}.\n`
      }
    }
  },
  {
    name: 'accounts plan-change-withdraw',
    args: ['account-id'],
    required: ['line', 'reason'],
    optional: [],
    help: "a legal entity's written request to withdraw its line's scheduled plan change",
    async run(io) {
      const out = await io.client().call('opsAccountsPlanChangeWithdraw', {
        accountId: word(io, 0, 'account id'),
        lineId: flag(io, 'line'),
        reason: flag(io, 'reason')
      })
      return {
        json: out,
        human: `Line ${out.lineId}: the change to ${out.toPlan} on ${out.effectiveDate} is withdrawn.\n`
      }
    }
  },
  {
    name: 'accounts resend-code',
    args: [],
    required: [],
    optional: ['email', 'number'],
    help: 'send again what waits for an --email (invitation, email confirmation, trial code) or a --number (sign-up code)',
    async run(io) {
      const email = opt(io, 'email')
      const number = opt(io, 'number')
      if ((email === undefined) === (number === undefined))
        throw new UsageError('give exactly one of --email or --number')
      const out = await io
        .client()
        .call('opsAccountsResendCode', email !== undefined ? { email } : { number: number ?? '' })
      return { json: out, human: 'Sent again:\n' + table(out.sent, ['kind', 'to', 'accountId']) }
    }
  },
  {
    name: 'accounts unlock',
    args: ['account-id'],
    required: [],
    optional: [],
    help: "clear the account's sign-in delays (after too many failed attempts)",
    async run(io) {
      const out = await io.client().call('opsAccountsUnlock', { accountId: word(io, 0, 'account id') })
      return {
        json: out,
        human:
          out.cleared > 0
            ? `Sign-in delays cleared for ${out.accountId} (${out.cleared}).\n`
            : `${out.accountId} had no sign-in delays; nothing to clear.\n`
      }
    }
  },
  {
    name: 'accounts suspend-line',
    args: ['line-id'],
    required: ['reason'],
    optional: [],
    help: 'suspend a line: no service but 911 until restored; the app tells its owner',
    async run(io) {
      const out = await io
        .client()
        .call('opsLinesSuspend', { lineId: word(io, 0, 'line id'), reason: flag(io, 'reason') })
      return {
        json: out,
        human: `Line ${out.lineId} of ${out.accountId} is ${out.status} (${out.suspendedAt}).\n`
      }
    }
  },
  {
    name: 'accounts restore-line',
    args: ['line-id'],
    required: ['reason'],
    optional: [],
    help: 'restore a suspended line: its state is derived again',
    async run(io) {
      const out = await io
        .client()
        .call('opsLinesRestore', { lineId: word(io, 0, 'line id'), reason: flag(io, 'reason') })
      return { json: out, human: `Line ${out.lineId} of ${out.accountId} is restored: ${out.status}.\n` }
    }
  },
  {
    name: 'accounts move-device',
    args: ['serial'],
    required: ['to', 'reason'],
    optional: ['area-code'],
    help: 'move a dongle to the account --to: its line closes, the new owner gets a new line and number (--area-code, else the old one)',
    async run(io) {
      const areaCode = opt(io, 'area-code')
      const out = await io.client().call('opsDevicesMove', {
        serial: word(io, 0, 'serial'),
        toAccountId: flag(io, 'to'),
        ...(areaCode !== undefined ? { areaCode } : {}),
        reason: flag(io, 'reason')
      })
      return {
        json: out,
        human:
          `Moved ${out.serial} from ${out.fromAccountId} to ${out.toAccountId}: new line ${out.lineId} ` +
          `(${out.number ?? 'no number'}); closed ${out.closedLines.join(', ') || 'no line'}.\n`
      }
    }
  }
]
