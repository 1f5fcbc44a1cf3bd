/**
 * A BYE is answered once, as sip.js would, and the phone service's own says why it ended the call
 * (src/main/phone/call-session.ts `track`, src/shared/telephony/server-reasons.ts): the call's Tracked keeps it for the
 * line (creditRanOut, callTooLong) and the history; any other BYE (the other party hanging up, with or without a
 * carrier's cause) keeps nothing. The BYE in a real call: test/media/server-ends-call.test.ts.
 */
import type { Session } from 'sip.js'
import { describe, expect, it } from 'vitest'
import { track } from '../../../src/main/phone/call-session'

/** A BYE as sip.js hands it to the delegate: its request's Reason header, and accept(). */
function bye(reason: string | undefined) {
  const answers: number[] = []
  return {
    answers,
    bye: {
      request: { getHeader: (name: string) => (name === 'Reason' ? reason : undefined) },
      accept: () => {
        answers.push(200)
        return Promise.resolve()
      }
    }
  }
}

function tracked() {
  const session = { delegate: undefined } as unknown as Session
  const t = track(
    session,
    { id: 'out-1', direction: 'out', remote: '+442079460958' },
    new Date(0).toISOString()
  )
  const onBye = session.delegate?.onBye
  if (!onBye) throw new Error('track sets no BYE handler')
  return { t, onBye }
}

describe('a BYE the call ends with', () => {
  it("keeps the phone service's reason, and answers the BYE once", () => {
    for (const [reason, why] of [
      ['SIP;cause=402;text="no-credit"', 'creditRanOut'],
      ['SIP;cause=200;text="max-call-length"', 'callTooLong']
    ] as const) {
      const { t, onBye } = tracked()
      const b = bye(reason)
      onBye(b.bye as never)
      expect([t.endedBy, b.answers]).toEqual([why, [200]])
    }
  })

  it('keeps nothing for the other party hanging up, with a cause of a carrier or a refusal’s reason', () => {
    for (const reason of [
      undefined,
      'Q.850;cause=16;text="Normal call clearing"',
      'SIP;cause=403;text="calls-held"'
    ]) {
      const { t, onBye } = tracked()
      const b = bye(reason)
      onBye(b.bye as never)
      expect([t.endedBy, b.answers]).toEqual([null, [200]])
    }
  })
})
