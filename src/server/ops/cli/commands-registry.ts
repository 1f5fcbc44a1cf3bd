/**
 * `dialtone-ops registry …`: the registry of dongles made: import a factory batch from CSV (all rows or none, a bad
 * row named by its line), show a serial's history (made, shipped, sold, activated, transferred, revoked, proofs),
 * revoke a leaked key (or restore one revoked in error), and accept a proof of purchase for a dongle that cannot
 * prove itself (or withdraw it).
 */
import { readFileSync } from 'node:fs'
import { UsageError } from './args'
import { type Command, flag, opt, word } from './command'
import { record, table } from './table'

export const registryCommands: readonly Command[] = [
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
      const head: Record<string, unknown> = {
        serial: out.serial,
        model: out.model,
        batch: out.batch ?? 'not in the registry',
        revokedAt: out.revokedAt
      }
      if (out.revocation) {
        head.revokedBy = out.revocation.by
        head.revokedWhy = out.revocation.reason
      }
      if (out.proofWaiting)
        head.proofWaiting = `"${out.proofWaiting.proof}" for ${out.proofWaiting.email}, until ${out.proofWaiting.expiresAt}`
      return { json: out, human: record(head) + '\n' + table(out.history, ['at', 'event', 'detail']) }
    }
  },
  {
    name: 'registry revoke',
    args: ['serial'],
    required: ['reason'],
    optional: [],
    help: "revoke a dongle's leaked factory key: no trial, activation or transfer accepts its proof from now on",
    async run(io) {
      const serial = word(io, 0, 'serial')
      const out = await io.client().call('opsRegistryRevoke', { serial, reason: flag(io, 'reason') })
      return {
        json: out,
        human:
          `The factory key of ${out.serial} is revoked (${out.revokedAt}). A line already on it keeps working;\n` +
          `suspend it (accounts suspend-line) or move the dongle (accounts move-device) if its owner is the question.\n`
      }
    }
  },
  {
    name: 'registry restore',
    args: ['serial'],
    required: ['reason'],
    optional: [],
    help: 'restore a factory key revoked in error: the dongle proves itself again',
    async run(io) {
      const out = await io
        .client()
        .call('opsRegistryRestore', { serial: word(io, 0, 'serial'), reason: flag(io, 'reason') })
      return { json: out, human: `The factory key of ${out.serial} is trusted again.\n` }
    }
  },
  {
    name: 'registry accept-proof',
    args: ['serial'],
    required: ['model', 'email', 'proof', 'reason'],
    optional: ['language'],
    help: 'a proof of purchase for a dongle that cannot prove itself: a code goes to --email (in --language), with which its owner activates it, once',
    async run(io) {
      const language = opt(io, 'language')
      const out = await io.client().call('opsRegistryProofAccept', {
        serial: word(io, 0, 'serial'),
        model: flag(io, 'model'),
        email: flag(io, 'email'),
        proof: flag(io, 'proof'),
        reason: flag(io, 'reason'),
        // Checked by the service: a language it does not speak is refused by name (not-allowed-value).
        ...(language !== undefined ? { language: language as 'en' } : {})
      })
      return {
        json: out,
        human:
          `Proof of purchase accepted for ${out.serial} until ${out.expiresAt}; its code went to ${out.email}.\n` +
          `Tell them: in Dialtone, on the Device page, "I bought this dongle", with that email (or signed in to an\n` +
          `account where it is confirmed) and the code from the email, which only they have.\n`
      }
    }
  },
  {
    name: 'registry withdraw-proof',
    args: ['serial'],
    required: ['reason'],
    optional: [],
    help: 'withdraw the proof of purchase waiting for a dongle (accepted in error)',
    async run(io) {
      const out = await io
        .client()
        .call('opsRegistryProofWithdraw', { serial: word(io, 0, 'serial'), reason: flag(io, 'reason') })
      return { json: out, human: `The proof of purchase ${out.proofId} for ${out.serial} is withdrawn.\n` }
    }
  }
]
