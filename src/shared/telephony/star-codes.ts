/**
 * North American vertical service codes the analog phone knows (issue 23), as one table the dial plan reads: each
 * code is decided as soon as its digits are complete, with no inter-digit wait. A code either prefixes a number
 * (*67 withholds the caller ID for that call, *82 sends it), acts at once (*73 forwarding off, *69 call back the
 * last caller, *60 block the last caller), takes a number first (*72 + a North American number: forward every
 * call there), or is a number of its own (*98 calls the line's voicemail: Kamailio maps it to the box). *70 (no
 * call waiting for this call) is read by dial-plan.ts ahead of this table, as it combines with *67. Anything else after '*' is reorder at once.
 */

/** What main carries out for a code that is not a call (src/main/phone/star-codes.ts). */
export const STAR_FEATURES = ['forwardOn', 'forwardOff', 'callBack', 'blockLast'] as const
export type StarFeature = (typeof STAR_FEATURES)[number]

export type StarCode =
  | { readonly kind: 'prefix'; readonly hideCallerId: boolean }
  | { readonly kind: 'feature'; readonly feature: StarFeature; readonly takesNumber: boolean }
  | { readonly kind: 'dial'; readonly target: string }

/** Withholds the caller ID for one call (sent as `Privacy: id`). */
export const HIDE_CALLER_ID = '*67'
/** The voicemail access code, sent as the Request-URI user (resources/kamailio/voicemail.cfg maps it). */
export const VOICEMAIL_ACCESS = '*98'

export const STAR_CODES: Readonly<Record<string, StarCode>> = {
  [HIDE_CALLER_ID]: { kind: 'prefix', hideCallerId: true },
  '*82': { kind: 'prefix', hideCallerId: false },
  '*72': { kind: 'feature', feature: 'forwardOn', takesNumber: true },
  '*73': { kind: 'feature', feature: 'forwardOff', takesNumber: false },
  '*69': { kind: 'feature', feature: 'callBack', takesNumber: false },
  '*60': { kind: 'feature', feature: 'blockLast', takesNumber: false },
  [VOICEMAIL_ACCESS]: { kind: 'dial', target: VOICEMAIL_ACCESS }
}

/** Whether some code still starts with what was dialled ('*', '*6'...). */
export const mayBecomeStarCode = (dialled: string): boolean =>
  Object.keys(STAR_CODES).some((code) => code.startsWith(dialled))

/** The code that carries out a feature ('*72' for forwardOn), from the table. */
export const codeOf = (feature: StarFeature): string =>
  Object.entries(STAR_CODES).find(([, s]) => s.kind === 'feature' && s.feature === feature)?.[0] ?? ''
