/** Devices, activation, lines, numbers, E911 and SIP credentials: the API between the app and the service. */
import { z } from 'zod'
import { LANGUAGE_CODES } from '../i18n/languages'
import { signupLanguage } from './message-language'
import { attestation } from './attestation'
import { matches, FORMATS } from './formats'
import { custom } from './issues'
import { e911AddressSchema } from '../numbers/e911'
import { anyPassword, emailAddress, id, instant, newPassword, text } from './common'
import { accountType, signupBillingAddress } from './identity'
import { signupTimeZone } from './time-zone'

export const serialNumber = z
  .string()
  .trim()
  .toUpperCase()
  .regex(FORMATS.serial.pattern, FORMATS.serial.message)
export const modelId = z.string().regex(/^[0-9a-f]{4}:[0-9a-f]{4}$/, 'a model is vendor:product in hex')

/** The versions of the texts a person accepts; the service refuses an outdated acceptance. */
export const acceptances = z
  .object({
    // Empty when the box was not ticked: say so as 'must-accept', not as a too-short string.
    termsVersion: text(0, 20).refine(
      (s) => s.length > 0,
      custom('must-accept', 'accept the terms of service')
    ),
    e911DisclosureVersion: text(0, 20).refine(
      (s) => s.length > 0,
      custom('must-accept', 'acknowledge the 911 limitations')
    )
  })
  .strict()

/** The versions of the texts a person accepts today; the texts themselves are served per language (below). */
export const legalTexts = z.object({
  termsVersion: z.string(),
  e911DisclosureVersion: z.string(),
  /**
   * The 911 disclosure in English, still sent for installed apps from before it was served per language (their
   * contract requires it); this app reads it in the person's language from GET /v1/legal/e911 and ignores this.
   */
  e911Disclosure: z.string().optional()
})

/**
 * A legal text in full (the terms of service, the 911 disclosure): a version (the current one when not given) in
 * a language, English when not.
 */
export const legalDocumentQuery = z
  .object({
    language: z.enum(LANGUAGE_CODES),
    version: z
      .string()
      .regex(/^[\w.-]{1,20}$/, 'a version is up to 20 letters, digits, dots or dashes')
      .optional()
  })
  .strict()
export const legalDocument = z.object({
  version: z.string(),
  language: z.enum(LANGUAGE_CODES),
  /** true: no translation in the language asked for yet; this is the English text. */
  fallback: z.boolean(),
  /** Markdown: '#' headings, '-' list items, paragraphs. */
  text: z.string()
})

export const deviceLookupRequest = z.object({ serial: serialNumber, model: modelId }).strict()
/** Ask for a one-time challenge for the dongle to sign (answered alike for every serial, registered or not). */
export const deviceChallengeRequest = z.object({ serial: serialNumber, model: modelId }).strict()
/**
 * The dongle's proof of possession. Required for every model that attests (any failure: one refusal,
 * 'device-not-recognised'); absent for a model that cannot, which then needs a proof of purchase instead.
 */
const attested = { attestation: attestation.optional() }
export const deviceLookup = z.object({
  serial: z.string(),
  /** unregistered: nobody owns it; owned: someone does (maybe you); transfer-pending: a handover is open. */
  state: z.enum(['unregistered', 'owned', 'transfer-pending']),
  trialAvailable: z.boolean(),
  ownedByYou: z.boolean(),
  /** A model that cannot attest: activated only with a proof of purchase (a web-shop order), never on trial. */
  needsProofOfPurchase: z.boolean()
})

export const startTrialRequest = z
  .object({
    serial: serialNumber,
    model: modelId,
    name: text(1, 100),
    accountType: accountType.default('individual'),
    billingAddress: signupBillingAddress,
    email: emailAddress,
    password: newPassword,
    areaCode: matches('area-code'),
    acceptances,
    ...signupTimeZone,
    ...signupLanguage,
    ...attested
  })
  .strict()
export const startTrialResponse = z.object({
  trialId: id,
  codeExpiresAt: instant,
  message: z.string()
})
export const resendTrialCodeRequest = z.object({ trialId: id }).strict()
/** How the app names itself in the account's session list (as at sign-in): a person may read it, so text. */
const clientName = { client: text(1, 80).optional() }
export const activateTrialRequest = z
  .object({ trialId: id, code: matches('activation-code'), ...clientName })
  .strict()

const newAccount = z
  .object({
    mode: z.literal('new'),
    name: text(1, 100),
    accountType: accountType.default('individual'),
    email: emailAddress,
    password: newPassword,
    billingAddress: signupBillingAddress,
    ...signupTimeZone,
    ...signupLanguage
  })
  .strict()
/** Add the device to the account of the session that makes the request. */
const existingAccount = z.object({ mode: z.literal('existing') }).strict()

export const activatePurchasedRequest = z
  .object({
    serial: serialNumber,
    model: modelId,
    purchase: z.discriminatedUnion('channel', [
      z.object({ channel: z.literal('online'), orderNumber: text(4, 40), email: emailAddress }).strict(),
      z.object({ channel: z.literal('retail') }).strict()
    ]),
    account: z.discriminatedUnion('mode', [newAccount, existingAccount]),
    areaCode: matches('area-code'),
    acceptances,
    /** The code Dialtone support's email gave, once support accepted a proof of purchase (src/server/devices/proofs.ts). */
    proofCode: z.string().trim().toUpperCase().pipe(matches('proof-code')).optional(),
    ...attested,
    ...clientName
  })
  .strict()

export const activationResult = z.object({
  accountId: id,
  deviceId: id,
  lineId: id,
  /** Present when the activation created the account or signed the person in. */
  session: z.object({ token: z.string(), sessionId: id, expiresAt: instant }).nullable()
})
export type ActivationResult = z.infer<typeof activationResult>

/** `suspended`: by Dialtone support (an operator), until restored; no SIP service, like `lapsed`. */
export const LINE_STATUSES = ['pending', 'in_service', 'lapsed', 'suspended', 'closed'] as const
/** An address as the service returns it (already validated when it was registered). */
export const e911AddressOut = z.object({
  street: z.string(),
  unit: z.string(),
  city: z.string(),
  region: z.string(),
  postalCode: z.string(),
  country: z.enum(['US', 'CA'])
})
export const e911Record = z.object({
  id,
  address: e911AddressOut,
  status: z.enum(['provisioned', 'superseded']),
  registeredAt: instant
})
export const lineInfo = z.object({
  id,
  deviceId: id,
  deviceSerial: z.string(),
  status: z.enum(LINE_STATUSES),
  /** What keeps a pending line from service, in order. */
  missing: z.array(z.enum(['number', 'e911', 'coverage'])),
  number: z.string().nullable(),
  /** The owner's name for the line, or null. */
  label: z.string().nullable(),
  paidThrough: instant.nullable(),
  e911: e911Record.nullable(),
  /**
   * The line has SIP credentials: it activated once and is not closed, so it registers whatever its state (the
   * SIP server lets a line out of service call 911 and 933 only). Absent from older services.
   */
  sipAccount: z.boolean().optional(),
  /** When Dialtone support suspended the line (status `suspended`), else null. */
  suspendedAt: instant.nullable().optional(),
  createdAt: instant
})
export type LineInfo = z.infer<typeof lineInfo>
export const lineList = z.object({ lines: z.array(lineInfo) })

export const availableNumbersQuery = z.object({ areaCode: matches('area-code') }).strict()
export const availableNumbers = z.object({ areaCode: z.string(), numbers: z.array(z.string()) })
/** Whether an area code has free numbers; when not, the nearest that do (state or province in `region`). */
export const areaCodeParam = z
  .object({ areaCode: z.string().regex(/^[2-9]\d\d$/, 'an area code is 3 digits') })
  .strict()
const areaCodeInfo = { areaCode: z.string(), region: z.string().nullable() }
export const areaCodeAvailability = z.object({
  ...areaCodeInfo,
  available: z.boolean(),
  nearby: z.array(z.object(areaCodeInfo))
})
/** The fields of a number change; the route table extends them with the line id, so the refinement is separate. */
export const changeNumberFields = z
  .object({
    areaCode: matches('area-code').optional(),
    number: z.string().max(20).optional()
  })
  .strict()
export const asksForANumber = (r: { areaCode?: string; number?: string }): boolean =>
  r.areaCode !== undefined || r.number !== undefined
export const changeNumberRequest = changeNumberFields.refine(
  asksForANumber,
  custom('required', 'give an area code or a number')
)
export const numberHistory = z.object({
  history: z.array(
    z.object({ number: z.string(), assignedAt: instant, releasedAt: instant.nullable(), reason: z.string() })
  )
})

export const setE911Request = z.object({ address: e911AddressSchema }).strict()
/** An empty label clears it. */
export const setLineLabelRequest = z.object({ label: text(0, 40) }).strict()
export const e911History = z.object({ current: e911Record.nullable(), history: z.array(e911Record) })

export const sipCredentials = z.object({
  lineId: id,
  username: z.string(),
  authorizationUsername: z.string(),
  password: z.string(),
  domain: z.string(),
  uri: z.string(),
  websocketUrl: z.string(),
  /** Every SIP server the line may use, SRV-style (priority, weight); absent from older services. */
  servers: z
    .array(
      z.object({
        websocketUrl: z.string(),
        priority: z.number().int().min(0).max(65535),
        weight: z.number().int().min(0).max(65535)
      })
    )
    .max(16)
    .optional(),
  displayName: z.string()
})
export type SipCredentials = z.infer<typeof sipCredentials>

export const releaseDeviceRequest = z.object({ password: anyPassword }).strict()
/** A second-hand dongle: the new owner asks; the old owner approves from the email the service sends. */
export const requestTransferRequest = z
  .object({
    serial: serialNumber,
    model: modelId,
    areaCode: matches('area-code'),
    acceptances,
    ...attested
  })
  .strict()
export const transferInfo = z.object({
  id,
  /** Six characters both sides see, so the owner approves the request of the person they handed the dongle to. */
  reference: z.string(),
  /** The owner's side: the asker's name as they gave it (anyone may type any name: the reference decides). */
  askedBy: z.string().nullable(),
  deviceSerial: z.string(),
  /** declined: the owner released the dongle instead (or said no); expired: nobody approved within 7 days. */
  status: z.enum(['pending', 'approved', 'declined', 'expired', 'completed']),
  /** From the asker's side: outgoing, the dongle is (was) yours and someone asked for it; incoming, you asked. */
  direction: z.enum(['outgoing', 'incoming']),
  /**
   * Whether the approval code was emailed to the owner. Not for a request past the dongle's day's emails (kept all
   * the same): the owner has the code emailed from the app (sendTransferCode), and the asker is told to ask them.
   */
  codeSent: z.boolean(),
  createdAt: instant,
  expiresAt: instant,
  decidedAt: instant.nullable()
})
/**
 * The old owner approves one transfer, signed in, with the code emailed for it: the code must be the one issued
 * for this transfer, so a code for another dongle (or another account's) approves nothing and stays usable.
 */
/** The owner has a waiting request's approval code emailed to them (a new code; the one sent before is retired). */
export const sendTransferCodeRequest = z.object({ transferId: id }).strict()
export const approveTransferRequest = z
  .object({ transferId: id, token: z.string().min(20).max(200) })
  .strict()
