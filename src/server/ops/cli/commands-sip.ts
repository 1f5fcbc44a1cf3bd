/**
 * `dialtone-ops` commands of the SIP server topic: the client addresses Kamailio is dropping for a flood of new
 * requests (resources/kamailio/flood.cfg), and one let in again before its ban ends. Support tells an office whose
 * lines all reconnected at once (every phone "cannot reach the server" for a minute) from a flood by the address.
 */
import { type Command, flag, word } from './command'
import { record, table } from './table'

export const sipCommands: readonly Command[] = [
  {
    name: 'sip bans',
    args: [],
    required: [],
    optional: [],
    help: 'the client addresses the SIP server is dropping for a flood of requests, and until when',
    async run(io) {
      const out = await io.client().call('opsSipBans')
      return {
        json: out,
        human: out.bans.length === 0 ? 'No address is banned now.\n' : table(out.bans, ['address', 'until'])
      }
    }
  },
  {
    name: 'sip unban',
    args: ['address'],
    required: ['reason'],
    optional: [],
    help: 'let an address in again before its flood ban ends (as `sip bans` names it)',
    async run(io) {
      const out = await io
        .client()
        .call('opsSipUnban', { address: word(io, 0, 'address'), reason: flag(io, 'reason') })
      return { json: out, human: `Let in again:\n${record(out.lifted)}` }
    }
  }
]
