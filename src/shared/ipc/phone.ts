/** The phone domain: the SIP line. Starts with the line's registration status. */
import { z } from 'zod'
import { CALL_FAILURES, CALL_WHYS, SERVER_ENDS } from '../telephony/call-why'
import { id } from '../api/common'
import { matches } from '../api/formats'
import { toneSpecSchema } from '../telephony/tones'
import { TRANSFER_OUTCOMES } from '../telephony/transfer'
import { command, domain, event, noArgs } from './define'

export const LINE_STATES = ['unconfigured', 'registering', 'registered', 'unregistered', 'failed'] as const

/**
 * Why a line is not registered, as a code the app words in the person's language (with what to do about it):
 * noNetwork (this computer has no network), serverUnreachable (the SIP server does not answer or the connection to
 * it dropped), credentialsRefused (the SIP server refused the line's password), serviceLapsed (the line's service
 * ended), serviceSuspended (Dialtone support suspended the line), addressMissing (no 911 address on record), serviceUnreachable (the account service did not
 * answer, so the line's details could not be read), serverError (the SIP server answered with an error), misprovisioned (the line's provisioned address is not
 * valid), stopped (the line was switched off: signed out or quitting).
 */
export const LINE_PROBLEMS = [
  'noNetwork',
  'serverUnreachable',
  'credentialsRefused',
  'serviceLapsed',
  'serviceSuspended',
  'addressMissing',
  'serviceUnreachable',
  'serverError',
  'misprovisioned',
  'stopped'
] as const
export type LineProblem = (typeof LINE_PROBLEMS)[number]

export const lineStatusSchema = z.object({
  state: z.enum(LINE_STATES),
  /** The line's number (E.164) once one is provisioned. */
  number: z.string().nullable(),
  /** Why the line is failed or unregistered, as a code the app words; null while all is well. */
  problem: z.enum(LINE_PROBLEMS).nullable(),
  /** When the line tries again by itself (for a live countdown); null when no retry is scheduled. */
  retryAt: z.iso.datetime().nullable(),
  /** The same in English with the technical detail, for support (folded away on screen). */
  reason: z.string().nullable()
})
export type LineStatus = z.infer<typeof lineStatusSchema>

export const PHASES = [
  'idle',
  'dialTone',
  'collecting',
  'calling',
  'ringback',
  'connected',
  'callWaiting',
  'busy',
  'reorder',
  'offHookWarning',
  'ringing',
  'noLine',
  'feature'
] as const

const callSchema = z.object({
  id: z.string(),
  direction: z.enum(['in', 'out']),
  remote: z.string(),
  /** Placed because the other party of a call transferred this line to it: whom (line-types.ts). */
  referredBy: z.string().optional()
})

export const callStateSchema = z.object({
  phase: z.enum(PHASES),
  offHook: z.boolean(),
  digits: z.string(),
  call: callSchema.nullable(),
  /** `transferring`: the held party asked this line to transfer it, and the new call is placed (line-types.ts). */
  other: callSchema.extend({ held: z.boolean(), transferring: z.boolean().optional() }).nullable(),
  voicemailWaiting: z.boolean(),
  doNotDisturb: z.boolean(),
  /** Three-way calling: `other` is the first party, held while the third is dialled (issue 23). */
  threeWay: z.boolean().optional(),
  /** The three-way call is joined: the phone, `call` and `other` all hear each other. */
  conference: z.boolean().optional(),
  /** The microphone is muted for the call in progress (cleared when the call ends). */
  muted: z.boolean(),
  /** Why the line gave reorder or the calls ended, as a code the app words. */
  why: z.enum(CALL_WHYS).nullable(),
  /** The same in English, technical detail for support. */
  reason: z.string().nullable()
})
export type CallState = z.infer<typeof callStateSchema>

export { CALL_FAILURES, CALL_WHYS, type CallFailure, type CallWhy } from '../telephony/call-why'

export const historyEntrySchema = z.object({
  id: z.string(),
  direction: z.enum(['in', 'out']),
  remote: z.string(),
  startedAt: z.iso.datetime(),
  answeredAt: z.iso.datetime().nullable(),
  endedAt: z.iso.datetime(),
  outcome: z.enum(['answered', 'missed', 'rejected', 'busy', 'failed', 'canceled']),
  /** Why a failed call failed (absent in entries recorded before reasons were kept). */
  failure: z.enum(CALL_FAILURES).nullable().optional(),
  /** Why the phone service ended an answered call itself, when its BYE said (absent before such ends were kept). */
  ended: z.enum(SERVER_ENDS).nullable().optional(),
  /** Who transferred the call to this line (a transfer it followed, or a call put through in place of theirs). */
  referredBy: z.string().optional()
})
export type HistoryEntry = z.infer<typeof historyEntrySchema>

export const phoneDomain = domain({
  name: 'phone',
  commands: {
    'phone.status': command({
      request: noArgs,
      response: lineStatusSchema,
      summary: 'The SIP line: not set up yet, registering, registered, or failed with a reason.'
    }),
    'phone.callState': command({
      request: noArgs,
      response: callStateSchema,
      summary: 'The analog line: dial tone, ringing, connected ..., the current and the waiting call.'
    }),
    'phone.dial': command({
      request: z.object({ number: matches('dial') }).strict(),
      response: callStateSchema,
      summary: 'Dials from the on-screen dialpad (as if the handset were lifted and the number keyed).'
    }),
    'phone.hangup': command({
      request: noArgs,
      response: callStateSchema,
      summary: 'Hangs up from the screen (as if the handset were put down).'
    }),
    'phone.answer': command({
      request: noArgs,
      response: callStateSchema,
      summary: 'Answers a ringing call from the screen (as if the handset were lifted).'
    }),
    'phone.press': command({
      request: z.object({ key: z.string().regex(/^[0-9*#]$/, 'one key: 0-9, * or #') }).strict(),
      response: callStateSchema,
      summary: 'A key on the on-screen keypad: a digit while dialling, DTMF during a call.'
    }),
    'phone.flash': command({
      request: noArgs,
      response: callStateSchema,
      summary: 'Hook flash from the screen: answers a waiting call, or switches between two calls.'
    }),
    'phone.transfer': command({
      request: z.object({ number: matches('dial').optional() }).strict(),
      response: z.object({ outcome: z.enum(TRANSFER_OUTCOMES) }),
      summary:
        'Transfers the call: blind to the number given (REFER), or without one the held call to the consult call in progress (REFER with Replaces).'
    }),
    'phone.mute': command({
      request: z.object({ on: z.boolean() }).strict(),
      response: callStateSchema,
      summary: 'Mutes or unmutes the microphone for the call in progress.'
    }),
    'phone.doNotDisturb': command({
      request: z.object({ on: z.boolean() }).strict(),
      response: callStateSchema,
      summary: 'Do not disturb: incoming calls are refused and listed as missed.'
    }),
    'phone.history': command({
      request: noArgs,
      response: z.object({ calls: z.array(historyEntrySchema) }),
      summary:
        'The signed-in account’s recent calls that have ended, newest first (with no one signed in, the calls made then); the call in progress is in phone.callState.'
    }),
    'phone.clearHistory': command({
      request: z
        .object({
          /** The account whose history the screen shows (null: no one signed in): refused if another is by now. */
          accountId: id.nullable()
        })
        .strict(),
      response: z.object({ calls: z.array(historyEntrySchema) }),
      summary:
        'Clears the signed-in account’s call history (with no one signed in, the calls made then); calls in progress are listed when they end.'
    }),
    'phone.reconnect': command({
      request: noArgs,
      response: lineStatusSchema,
      summary: 'Reconnects and re-registers the line now instead of waiting for the next retry.'
    })
  },
  events: {
    'phone.statusChanged': event({ payload: lineStatusSchema, summary: 'The line status after any change.' }),
    'phone.callStateChanged': event({
      payload: callStateSchema,
      summary: 'The analog line after any change.'
    }),
    'phone.tone': event({
      payload: z.object({
        tone: z
          .enum(['dial', 'stutter', 'ringback', 'busy', 'reorder', 'callWaiting', 'offHookWarning'])
          .nullable(),
        /** How it sounds in the tone plan in use (frequencies, level, cadence); null with silence. */
        spec: toneSpecSchema.nullable()
      }),
      summary: 'The tone the MediaEngine should play on the phone’s earpiece now (null: silence).'
    }),
    'phone.callerId': event({
      payload: z.object({
        message: z.string().regex(/^[0-9a-f]+$/),
        /** Caller ID on call waiting (type II): the CAS alert first, no channel seizure, during the call. */
        waiting: z.boolean().optional()
      }),
      summary:
        'MDMF caller-ID bytes (hex) to send as Bell 202 FSK on the line now: between the first two rings, or after the call-waiting beep.'
    }),
    'phone.missedCall': event({
      payload: historyEntrySchema,
      summary: 'A call that rang and was not answered.'
    }),
    'phone.callEnded': event({
      payload: historyEntrySchema,
      summary: 'A call of the history the screen shows has ended: the recent calls list it now.'
    })
  }
})
