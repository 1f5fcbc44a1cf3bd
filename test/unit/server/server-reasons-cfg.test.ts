/**
 * The reasons Dialtone's SIP server gives have one list: src/shared/telephony/server-reasons.ts, which the app words.
 * Kamailio's configuration writes them (append_to_reply, append_hf: `text=\"no-credit\"`) and removes any that
 * someone else wrote from what it relays (kamailio.cfg's SERVER_REASON_TEXTS): the texts it writes must be the
 * app's, and the texts it removes must be all of them, or a line could put the server's words in the app's mouth.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  SERVER_END_REASONS,
  SERVER_REASON_TEXTS,
  serverEndReason,
  serverReason
} from '../../../src/shared/telephony/server-reasons'

const dir = resolve(import.meta.dirname, '../../../resources/kamailio')
const cfgs = readdirSync(dir)
  .filter((f) => f.endsWith('.cfg'))
  .map((f) => readFileSync(join(dir, f), 'utf8'))

/**
 * Reasons the server gives that are not the app's to word: `blocked` goes to a caller the line's account blocked
 * (policy.cfg), who may be anyone; Dialtone's app words that 603 as declined.
 */
const NOT_THE_APPS = ['blocked']

describe("the SIP server's reasons", () => {
  it('are the texts the app words, and the ones Kamailio removes from what others send', () => {
    const written = new Set(
      cfgs.flatMap((c) => [...c.matchAll(/Reason: SIP;cause=\d+;text=\\"([a-z-]+)\\"/g)].map((m) => m[1]))
    )
    expect([...written].filter((t) => !NOT_THE_APPS.includes(t ?? '')).sort()).toEqual(
      [...SERVER_REASON_TEXTS].sort()
    )
    const kamailio = cfgs.find((c) => c.includes('#!define SERVER_REASON_TEXTS')) ?? ''
    const removed = /#!define SERVER_REASON_TEXTS "text=\\"\(([a-z|-]+)\)\\""/.exec(kamailio)?.[1]
    expect(removed?.split('|').sort()).toEqual([...SERVER_REASON_TEXTS].sort())
  })

  it('end a call in words: a credit abroad that ran out, the longest call', () => {
    expect(serverEndReason('SIP;cause=402;text="no-credit"')).toBe('creditRanOut')
    expect(serverEndReason('SIP;cause=200;text="max-call-length"')).toBe('callTooLong')
    expect(Object.values(SERVER_END_REASONS).sort()).toEqual(['callTooLong', 'creditRanOut'])
    // A carrier's cause, or none, is no reason of ours: the other party hung up.
    expect(serverEndReason('Q.850;cause=16;text="Normal call clearing"')).toBeNull()
    expect(serverEndReason(undefined)).toBeNull()
    // A refusal's reason does not end a call, and an end's is no refusal.
    expect(serverEndReason('SIP;cause=403;text="calls-held"')).toBeNull()
    expect(serverReason('SIP;cause=200;text="max-call-length"')).toBeNull()
  })
})
