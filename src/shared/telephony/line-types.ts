/**
 * The line state machine's vocabulary: its state (LineState, with the phases and the calls it holds), the events
 * main feeds it (LineEvent), the effects it asks main to carry out (Effect), and the line at rest (initialLine).
 * Apart from the transitions (line-state.ts, which exports all of this again) because this is the contract both
 * sides read: src/main/phone builds the events and carries out the effects without reading the transitions.
 */
import type { CallFailure, CallWhy, ServerEnd } from './call-why'
import type { CallerInfo } from './caller-id'
import type { StarFeature } from './star-codes'
import type { ToneName } from './tones'

export type Phase =
  | 'idle'
  | 'dialTone'
  | 'collecting'
  | 'calling'
  | 'ringback'
  | 'connected'
  | 'callWaiting'
  | 'busy'
  | 'reorder'
  | 'offHookWarning'
  | 'ringing'
  | 'noLine'
  /** A star code (*72, *73, *69, *60) is being carried out: silence until it is done (issue 23). */
  | 'feature'

export interface Call {
  readonly id: string
  readonly direction: 'in' | 'out'
  readonly remote: string
  /** A call placed because the other party of a call transferred this line to it (a REFER it followed): whom. */
  readonly referredBy?: string
}

export interface LineState {
  readonly phase: Phase
  readonly offHook: boolean
  readonly digits: string
  readonly call: Call | null
  /**
   * A second call: ringing in (call waiting) or on hold after a swap. `transferring`: the held party that asked this
   * line to transfer it (a REFER the line follows) while the new call is placed, answered or not.
   */
  readonly other: (Call & { readonly held: boolean; readonly transferring?: boolean }) | null
  readonly voicemailWaiting: boolean
  readonly serviceLapsed: boolean
  readonly doNotDisturb: boolean
  /** The SIP line is not registered: lifting the handset gives silence, not dial tone. */
  readonly lineDown: boolean
  /** Three-way calling: `other` is the first party, held while the second dial tone and the third call run. */
  readonly threeWay: boolean
  /** The three-way call is joined: `call` and `other` hear each other and the phone (the MediaEngine mixes). */
  readonly conference: boolean
  /** '*70' was dialled: no call waiting until the line is idle again (a second caller gets busy). */
  readonly noWaiting: boolean
  /** The line's call waiting service is switched off (Account, connected services): a second caller gets busy. */
  readonly waitingOff?: boolean
  /** Why the line gave reorder, or why the calls ended when the dongle went away: a code the screen words. */
  readonly why: CallWhy | null
  /** The same in English (technical detail). */
  readonly reason: string | null
}

export type TimerName = 'firstDigit' | 'interDigit' | 'reorder'

export type LineEvent =
  | { readonly type: 'offHook' }
  | { readonly type: 'onHook' }
  /** The dongle carrying the handset was unplugged: every call ends (none can ring back), said why. */
  | { readonly type: 'handsetGone' }
  | { readonly type: 'digit'; readonly key: string }
  | { readonly type: 'flash' }
  | { readonly type: 'timer'; readonly name: TimerName }
  | {
      readonly type: 'incoming'
      readonly call: Call
      readonly callerId: CallerInfo
      readonly blocked: boolean
    }
  | {
      readonly type: 'progress'
      readonly callId: string
      readonly status: 'ringing' | 'answered' | 'busy' | 'failed' | 'ended'
      /** Why an answered call ended, when it was not the other party hanging up. */
      readonly reason?: string
      /** Its code: why a call ended (connection lost, the audio window closed, the phone service ended it) or failed. */
      readonly why?: CallFailure | 'mediaGone' | ServerEnd
    }
  /**
   * The other party of the call in progress transferred this line (a REFER main follows): `call` is placed, and the
   * transferring party waits on hold as in a three-way call until it answers, then is left.
   */
  | { readonly type: 'transferred'; readonly call: Call }
  /**
   * An incoming call replaces the call in progress (RFC 3891 Replaces: the other end of an attended transfer, put
   * through by the party this line was talking to): the line goes on with `call`, no ringing.
   */
  | { readonly type: 'replaced'; readonly replaces: string; readonly call: Call }
  | { readonly type: 'voicemail'; readonly waiting: boolean }
  | { readonly type: 'service'; readonly lapsed: boolean }
  | { readonly type: 'doNotDisturb'; readonly on: boolean }
  /** The line's call waiting service, as the account's connected services say (issue 25). */
  | { readonly type: 'callWaitingService'; readonly on: boolean }
  /** The SIP line registered (up) or lost its registration (down). */
  | { readonly type: 'line'; readonly up: boolean }
  /** Main carried out a star code: confirmation tone, or a call (*69's number), or reorder. */
  | {
      readonly type: 'featureDone'
      readonly ok: boolean
      readonly dial?: string | null
      readonly reason?: string
    }

export type Effect =
  | { readonly type: 'tone'; readonly tone: ToneName | null }
  | { readonly type: 'ring'; readonly on: boolean; readonly callerId?: CallerInfo }
  | { readonly type: 'timer'; readonly name: TimerName; readonly ms: number | null }
  | {
      readonly type: 'dial'
      readonly target: string
      readonly emergency: boolean
      readonly hideCallerId: boolean
    }
  | { readonly type: 'answer'; readonly callId: string }
  | { readonly type: 'reject'; readonly callId: string; readonly why: 'busy' | 'doNotDisturb' | 'blocked' }
  | { readonly type: 'hangup'; readonly callId: string }
  | { readonly type: 'hold'; readonly callId: string; readonly on: boolean }
  | { readonly type: 'dtmf'; readonly callId: string; readonly key: string }
  | { readonly type: 'missed'; readonly call: Call }
  | { readonly type: 'feature'; readonly feature: StarFeature; readonly number: string | null }
  /** Caller ID on call waiting (type II: CAS, then FSK without the channel seizure), after the beep. */
  | { readonly type: 'callerIdWaiting'; readonly callerId: CallerInfo }
  /** Mix these two calls with the phone (a three-way conference), or stop mixing (null). */
  | { readonly type: 'conference'; readonly callIds: readonly [string, string] | null }

export const initialLine: LineState = {
  phase: 'idle',
  offHook: false,
  digits: '',
  call: null,
  other: null,
  voicemailWaiting: false,
  serviceLapsed: false,
  doNotDisturb: false,
  lineDown: false,
  threeWay: false,
  conference: false,
  noWaiting: false,
  why: null,
  reason: null
}

export interface Step {
  readonly state: LineState
  readonly effects: readonly Effect[]
}
