/**
 * `dialtone-ops registry …`: the registry of dongles made: import a factory batch from CSV (all rows or none, a bad
 * row named by its line) and show a serial's history (made, shipped, sold, activated, transferred).
 */
import { readFileSync } from 'node:fs'
import { UsageError } from './args'
import { type Command, flag, word } from './command'
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
      return {
        json: out,
        human:
          record({ serial: out.serial, model: out.model, batch: out.batch, revokedAt: out.revokedAt }) +
          '\n' +
          table(out.history, ['at', 'event', 'detail'])
      }
    }
  }
]
