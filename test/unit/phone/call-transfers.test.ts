/**
 * What the line decides when another party asks it to transfer (src/main/phone/call-transfers.ts): a REFER is
 * followed only from the lone call in progress, to a target followableTarget allows, and only once sip.js could make
 * the call (its Replaces decoded), else declined (603) with nothing accepted or placed; an INVITE with Replaces is
 * taken only in place of the lone call in progress and from a caller the account has not blocked. sip.js's
 * Referral and Invitation are stood in for by the few members these functions use; the whole exchange through the
 * real Kamailio is test/integration/phone/refer.test.ts, between apps in Chromium test/media/transfer-between-apps.
 * The NOTIFYs telling the party that asked how the transfer goes (transfer-progress.ts). And the line's guard
 * against a header broken by a bare LF (sip-message-guard.ts, bareLineBreak), which a REFER's Referred-By would
 * otherwise carry into the INVITE sent for it.
 */
import { Grammar, type Invitation, type Referral, type Session, SessionState } from 'sip.js'
import { describe, expect, it } from 'vitest'
import { type LineCalls, followReferral, takeReplacing } from '../../../src/main/phone/call-transfers'
import { bareLineBreak } from '../../../src/main/phone/sip-message-guard'
import { notifyTransferor } from '../../../src/main/phone/transfer-progress'
import { type Tracked, track } from '../../../src/main/phone/call-session'
import { silentLogger } from '../../../src/main/log/logger'
import { type LineEvent, type LineState, initialLine, step } from '../../../src/shared/telephony/line-state'

const DOMAIN = 'dialtone.test'
const first = { id: 'in-1', direction: 'in' as const, remote: '+12125550101' }

function session(state = SessionState.Established): Session {
  return { state, delegate: undefined, stateChange: { addListener: () => undefined } } as unknown as Session
}

/** A line whose state machine runs for real, recording what the transfers asked of it. */
function lineIn(state: LineState, calls: Tracked[]) {
  let s = state
  const placed: Tracked[] = []
  const kept: Tracked[] = []
  const line: LineCalls = {
    state: () => s,
    call: (id) => calls.find((t) => t.call.id === id),
    find: (sess) => calls.find((t) => t.session === sess),
    hangup: () => undefined,
    nextId: (d) => `${d}-9`,
    now: () => new Date(0),
    handle: (e: LineEvent) => void (s = step(s, e).state),
    place: (t) => void placed.push(t),
    keepAnswered: (t) => void kept.push(t),
    failed: () => undefined,
    ua: () => ({}) as never,
    domain: () => DOMAIN,
    isBlocked: (remote) => remote === '+13125550199',
    log: silentLogger()
  }
  return { line, placed, kept, state: () => s }
}

/** A REFER naming `target` (a SIP URI, read by sip.js's own grammar), answered into `answers`. */
function referral(target: string, makeInviter: () => unknown = () => ({ ...session(SessionState.Initial) })) {
  const answers: (number | 'accepted')[] = []
  const uri = Grammar.URIParse(target)
  if (!uri) throw new Error(`sip.js cannot read ${target}`)
  const referTo = { uri }
  const r = {
    referTo,
    get replaces() {
      return uri.getHeader('replaces')?.[0]
    },
    accept: () => (answers.push('accepted'), Promise.resolve()),
    reject: (o: { statusCode: number }) => (answers.push(o.statusCode), Promise.resolve()),
    makeInviter
  }
  return { referral: r as unknown as Referral, answers }
}

/** The line in a call with `first`, answered. */
function inCall() {
  const t = track(session(), first, new Date(0).toISOString())
  const state = step(
    step(initialLine, {
      type: 'incoming',
      call: first,
      callerId: { at: { month: 1, day: 1, hour: 0, minute: 0 }, number: '2125550101', name: null },
      blocked: false
    }).state,
    { type: 'offHook' }
  ).state
  return { t, state }
}

describe('a REFER asked of the line', () => {
  it('is followed from the lone call: accepted, the new call placed, the line transferred', () => {
    const { t, state } = inCall()
    const l = lineIn(state, [t])
    const { referral: r, answers } = referral('sip:13125550100@dialtone.test')
    followReferral(l.line, t, r)
    expect(answers).toEqual(['accepted'])
    expect(l.placed.map((p) => p.call)).toEqual([
      { id: 'out-9', direction: 'out', remote: '+13125550100', referredBy: first.remote }
    ])
    expect(l.state()).toMatchObject({ phase: 'calling', other: { id: first.id, held: true } })
  })

  it('is declined with nothing placed when the call is not the lone call, or the target is not followable', () => {
    const { t, state } = inCall()
    const cases: [LineState, string][] = [
      [
        {
          ...state,
          phase: 'callWaiting',
          other: { id: 'in-2', direction: 'in', remote: '+14155550100', held: false }
        },
        'sip:13125550100@dialtone.test'
      ],
      [step(state, { type: 'flash' }).state, 'sip:13125550100@dialtone.test'],
      [state, 'sip:911@dialtone.test'],
      [state, 'sip:13125550100@elsewhere.example'],
      [state, 'sip:13125550100@dialtone.test:5999'],
      [state, 'sip:13125550100@dialtone.test;transport=tcp'],
      [state, 'sip:13125550100@dialtone.test?Replaces=%FF']
    ]
    for (const [s, target] of cases) {
      const l = lineIn(s, [t])
      const { referral: r, answers } = referral(target)
      followReferral(l.line, t, r)
      expect(answers, target).toEqual([603])
      expect(l.placed, target).toEqual([])
      expect(l.state(), target).toBe(s)
    }
  })

  it('is declined before anything is promised when sip.js cannot make the call', () => {
    const { t, state } = inCall()
    const l = lineIn(state, [t])
    const { referral: r, answers } = referral('sip:13125550100@dialtone.test', () => {
      throw new URIError('URI malformed')
    })
    followReferral(l.line, t, r)
    expect(answers).toEqual([603])
    expect(l.placed).toEqual([])
    expect(l.state()).toBe(state)
  })
})

describe('an INVITE with Replaces', () => {
  /** An INVITE with Replaces (sip.js having matched `replacee`); `answer()` makes it Established as accept would. */
  function invitation(from: string, replacee?: Session) {
    const answers: (number | 'accepted')[] = []
    const listeners: ((s: SessionState) => void)[] = []
    const inv = {
      _replacee: replacee,
      remoteIdentity: { uri: { user: from.replace(/^\+/, '') }, displayName: '' },
      stateChange: { addListener: (f: (s: SessionState) => void) => void listeners.push(f) },
      accept: () => (answers.push('accepted'), Promise.resolve()),
      reject: (o: { statusCode: number }) => (answers.push(o.statusCode), Promise.resolve())
    }
    const answer = () => listeners.forEach((f) => f(SessionState.Established))
    return { inv: inv as unknown as Invitation, answers, answer, replaceeLeft: () => inv._replacee }
  }

  it('is taken in place of the lone call, said to be transferred by its party', () => {
    const { t, state } = inCall()
    const l = lineIn(state, [t])
    const { inv, answers, answer, replaceeLeft } = invitation('+14155550100', t.session)
    takeReplacing(l.line, inv, t.session)
    expect(answers).toEqual(['accepted'])
    const newcomer = { id: 'in-9', direction: 'in', remote: '+14155550100', referredBy: first.remote }
    expect(l.kept.map((k) => k.call)).toEqual([newcomer])
    // The line takes it once answered (not before: an answer that fails leaves the first call where it was).
    expect(l.state().call).toEqual(first)
    answer()
    expect(l.state()).toMatchObject({ phase: 'connected', call: newcomer })
    expect(replaceeLeft()).toBe(t.session)
  })

  it('is hung up, and the call it would replace kept, when the line changed before it was answered', () => {
    const { t, state } = inCall()
    const l = lineIn(state, [t])
    const hungUp: string[] = []
    const line: LineCalls = { ...l.line, hangup: (id) => void hungUp.push(id) }
    const { inv, answer, replaceeLeft } = invitation('+14155550100', t.session)
    takeReplacing(line, inv, t.session)
    line.handle({ type: 'flash' })
    answer()
    expect(hungUp).toEqual(['in-9'])
    // sip.js would end the replaced call right after: it is told there is none.
    expect(replaceeLeft()).toBeUndefined()
    expect(l.state().other).toMatchObject({ id: first.id, held: true })
  })

  it('is declined when the replaced call is not the lone call, is not one of the line, or the caller is blocked', () => {
    const { t, state } = inCall()
    const stranger = track(session(), { id: 'in-7', direction: 'in', remote: '+16175550100' }, '')
    const cases: [LineState, Tracked[], Session, string][] = [
      [step(state, { type: 'flash' }).state, [t], t.session, '+14155550100'],
      [state, [t], stranger.session, '+14155550100'],
      [state, [t], t.session, '+13125550199']
    ]
    for (const [s, calls, replacee, from] of cases) {
      const l = lineIn(s, calls)
      const { inv, answers } = invitation(from)
      takeReplacing(l.line, inv, replacee)
      expect(answers, from).toEqual([603])
      expect(l.kept, from).toEqual([])
    }
  })
})

describe('the NOTIFYs of a transfer the line follows', () => {
  type Sent = { headers: string[]; content: string }
  const ACTIVE = ['Event: refer', 'Subscription-State: active;expires=180']
  const TERMINATED = ['Event: refer', 'Subscription-State: terminated;reason=noresource']
  /** The transferring party's session, its dialog recording each NOTIFY; `refuse` answers them with an error. */
  function transferor(o: { refuse?: boolean; dialog?: boolean; state?: SessionState } = {}) {
    const sent: Sent[] = []
    const notify = (
      delegate: { onReject: () => void },
      n: { extraHeaders: string[]; body: { contentType: string; content: string } }
    ) => {
      expect(n.body.contentType).toBe('message/sipfrag')
      sent.push({ headers: n.extraHeaders, content: n.body.content })
      if (o.refuse) delegate.onReject()
    }
    const session = {
      state: o.state ?? SessionState.Established,
      dialog: o.dialog === false ? undefined : { notify }
    } as unknown as Session
    return { session, sent }
  }
  /** The new call as sip.js makes it: `answer` is sip.js handing it an answer, `end` its session ending. */
  function referred(to: Session) {
    const ended: ((s: SessionState) => void)[] = []
    const inviter = {
      stateChange: { addListener: (f: (s: SessionState) => void) => void ended.push(f) }
    } as {
      notifyReferer?: (r: unknown) => void
    }
    notifyTransferor(inviter as never, to)
    return {
      answer: (statusCode: number, reasonPhrase: string) =>
        inviter.notifyReferer?.({ message: { statusCode, reasonPhrase } }),
      end: () => ended.forEach((f) => f(SessionState.Terminated))
    }
  }

  it('keeps the subscription active until the final answer, which ends it; nothing after that', () => {
    const t = transferor()
    const call = referred(t.session)
    call.answer(100, 'Trying')
    call.answer(180, 'Ringing')
    call.answer(200, 'OK')
    call.answer(200, 'OK')
    call.end()
    expect(t.sent).toEqual([
      { headers: ACTIVE, content: 'SIP/2.0 100 Trying' },
      { headers: ACTIVE, content: 'SIP/2.0 180 Ringing' },
      { headers: TERMINATED, content: 'SIP/2.0 200 OK' }
    ])
  })

  it('ends with a refusal too, passing on only printable words of the answer, at most 128 characters', () => {
    const t = transferor()
    referred(t.session).answer(486, 'Busy\u0000 Here\t\u202e\u2028\u0085')
    const long = transferor()
    referred(long.session).answer(603, 'x'.repeat(500))
    expect(t.sent).toEqual([{ headers: TERMINATED, content: 'SIP/2.0 486 Busy Here' }])
    expect(long.sent[0]?.content).toBe(`SIP/2.0 603 ${'x'.repeat(128)}`)
  })

  it('tells a call that ended with no final answer heard as 487, the subscription ended', () => {
    const t = transferor()
    const call = referred(t.session)
    call.answer(100, 'Trying')
    call.end()
    expect(t.sent).toEqual([
      { headers: ACTIVE, content: 'SIP/2.0 100 Trying' },
      { headers: TERMINATED, content: 'SIP/2.0 487 Request Terminated' }
    ])
  })

  it('stops once the transferring party refuses one or has left, sends nothing without a dialog, never throws', () => {
    const refusing = transferor({ refuse: true })
    const call = referred(refusing.session)
    call.answer(100, 'Trying')
    call.answer(180, 'Ringing')
    call.end()
    expect(refusing.sent.map((n) => n.content)).toEqual(['SIP/2.0 100 Trying'])
    const left = transferor({ state: SessionState.Terminated })
    referred(left.session).answer(180, 'Ringing')
    expect(left.sent).toEqual([])
    const gone = transferor({ dialog: false })
    referred(gone.session).answer(180, 'Ringing')
    expect(gone.sent).toEqual([])
    const throwing = {
      state: SessionState.Established,
      dialog: {
        notify: () => {
          throw new Error('Dialog not confirmed.')
        }
      }
    } as unknown as Session
    expect(() => referred(throwing).answer(180, 'Ringing')).not.toThrow()
  })
})

describe('bareLineBreak', () => {
  it('finds a CR or LF that is not part of a CRLF in the headers, and nowhere else', () => {
    const head = 'REFER sip:a@b SIP/2.0\r\nReferred-By: <sip:x@y>\r\nContent-Length: 4\r\n\r\n'
    expect(bareLineBreak(head + 'a\nb\r')).toBe(false)
    expect(bareLineBreak('\r\n\r\n')).toBe(false)
    expect(bareLineBreak(head.replace('<sip:x@y>', '<sip:x@y>\nPrivacy: id'))).toBe(true)
    expect(bareLineBreak(head.replace('<sip:x@y>', '<sip:x@y>\rPrivacy: id'))).toBe(true)
  })
})
