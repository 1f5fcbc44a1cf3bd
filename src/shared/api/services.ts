/**
 * Connected services (issue 25 part 1): the catalog of what a line can have besides its plan, each service's
 * monthly fee and conditions, its state per line, switching one on or off and the history of switches.
 *
 * What a service does is one of SERVICE_FEATURES, fixed here because Kamailio and the phone must know how to
 * enforce it; what it costs, whether it is offered and whether a new line starts with it are the catalog's
 * (operators change them in `dialtone-ops services`). The conditions the app words are derived from the feature
 * (SERVICE_FEATURE_RULES), never kept as free text. Fees follow the tariffs' rule (seed 003, fixed 30 days):
 * switching a paid service on charges the rest of this month now, switching it off gives back the unused days of
 * what was charged this month, and every following month is charged on its first day.
 */
import { z } from 'zod'
import { instant } from './common'
import { idempotencyKey, money } from './billing'
import { lineParam, route } from './route'
import { SERVICE_FEATURES, type ServiceFeature } from './service-features'

export { SERVICE_FEATURES, type ServiceFeature } from './service-features'

/** The conditions the app words for a service (locale `services.condition.<code>`). */
export const SERVICE_CONDITIONS = [
  'enforced-by-network', // Kamailio applies it at once, with the app off too
  'per-minute-rates', // calls are rated per minute (minutes packs first)
  'override-per-call', // *82 / *67 change it for one call
  'busy-when-off', // a second caller hears busy (or goes to voicemail) when off
  'no-deposit-when-off', // callers are not offered voicemail when off
  'set-on-phone-page', // set up on the Phone page (forwarding rules)
  'bought-on-billing', // bought on the Billing tab (minutes packs)
  'included-with-line', // part of every line
  'handset-flash' // with the handset's hook flash
] as const
export type ServiceCondition = (typeof SERVICE_CONDITIONS)[number]

/**
 * How each feature behaves: whether a person switches it on and off here (else its state comes from elsewhere:
 * forwarding rules, minutes packs, or it is always part of the line) and its conditions.
 */
export const SERVICE_FEATURE_RULES: Record<
  ServiceFeature,
  { readonly switchable: boolean; readonly conditions: readonly ServiceCondition[] }
> = {
  voicemail: { switchable: true, conditions: ['enforced-by-network', 'no-deposit-when-off'] },
  forwarding: { switchable: false, conditions: ['set-on-phone-page', 'enforced-by-network'] },
  'caller-id-withheld': { switchable: true, conditions: ['enforced-by-network'] },
  international: { switchable: true, conditions: ['enforced-by-network', 'per-minute-rates'] },
  'call-waiting': { switchable: true, conditions: ['busy-when-off', 'override-per-call'] },
  'minutes-packs': { switchable: false, conditions: ['bought-on-billing'] },
  'star-codes': { switchable: false, conditions: ['included-with-line'] },
  'three-way': { switchable: false, conditions: ['included-with-line', 'handset-flash'] },
  transfer: { switchable: false, conditions: ['included-with-line', 'handset-flash'] }
}

/**
 * Why a service is off when the person did not switch it off: `unpaid`, the balance did not cover its month when
 * the month began (the monthly fees job switched it off rather than run the balance below zero).
 */
export const SERVICE_OFF_REASONS = ['unpaid'] as const
export type ServiceOffReason = (typeof SERVICE_OFF_REASONS)[number]

/** A service's code in the catalog: lowercase letters, digits and dashes (what an operator types). */
export const serviceCode = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9-]{1,39}$/, 'lowercase letters, digits and dashes, 2 to 40 characters')

/** A monthly fee in minor units: free (0) up to 100.00. */
export const serviceFeeMinor = z.number().int().min(0).max(10_000)

export const lineServiceView = z.object({
  code: z.string(),
  feature: z.enum(SERVICE_FEATURES),
  monthlyFee: money,
  free: z.boolean(),
  switchable: z.boolean(),
  conditions: z.array(z.enum(SERVICE_CONDITIONS)),
  /** On for this line now. */
  enabled: z.boolean(),
  /** When it was last switched on or off here (null: the catalog's default, never switched). */
  since: instant.nullable(),
  /** No longer offered: it can be switched off but not on again. */
  retired: z.boolean(),
  /** Off because of this, not by the person (since `since`); null when on or switched off by the person. */
  offReason: z.enum(SERVICE_OFF_REASONS).nullable()
})
export type LineServiceView = z.infer<typeof lineServiceView>

export const lineServices = z.object({
  lineId: z.string(),
  services: z.array(lineServiceView),
  /** The sum of the monthly fees of what is on. */
  monthlyTotal: money
})
export type LineServices = z.infer<typeof lineServices>

const serviceParam = lineParam.extend({ code: serviceCode })

export const switchPreview = z.object({
  code: z.string(),
  enabled: z.boolean(),
  /** Nothing would change: it is already so. */
  unchanged: z.boolean(),
  /** Charged now (rest of this month), >= 0. */
  charge: money,
  /** Given back now (unused days charged this month), >= 0. */
  credit: money,
  /** The full fee from the next month's first day (0 when switching off or free). */
  monthlyFee: money,
  /** The account's local dates: today, and the first day of next month. */
  effectiveDate: z.string(),
  nextPeriodDate: z.string(),
  balance: money
})
export type SwitchPreview = z.infer<typeof switchPreview>

export const serviceSwitchView = z.object({
  id: z.string(),
  code: z.string(),
  feature: z.enum(SERVICE_FEATURES),
  enabled: z.boolean(),
  /** Signed: negative is a charge, positive a credit, 0 for free services. */
  amount: money,
  at: instant,
  /** Null: the person switched it; else why the service switched it off. */
  reason: z.enum(SERVICE_OFF_REASONS).nullable()
})

export const serviceHistory = z.object({ switches: z.array(serviceSwitchView) })

export const SERVICES_API_ROUTES = {
  lineServices: route({
    method: 'GET',
    path: '/v1/lines/:lineId/services',
    input: lineParam,
    output: lineServices,
    auth: 'required'
  }),
  previewServiceSwitch: route({
    method: 'POST',
    path: '/v1/lines/:lineId/services/:code/preview',
    input: serviceParam.extend({ enabled: z.boolean() }).strict(),
    output: switchPreview,
    auth: 'required'
  }),
  switchService: route({
    method: 'POST',
    path: '/v1/lines/:lineId/services/:code',
    input: serviceParam
      .extend({
        enabled: z.boolean(),
        idempotencyKey,
        /**
         * What the person was shown (the preview's charge and credit): refused with 409 `price-changed` when the
         * switch would charge or give back anything else (a price an operator changed since, a new day or month).
         * The app always sends it; without it the switch takes the amounts of the moment. Each is a share of a
         * month's fee, bounded as a fee is.
         */
        expected: z.object({ chargeMinor: serviceFeeMinor, creditMinor: serviceFeeMinor }).strict().optional()
      })
      .strict(),
    output: lineServices,
    auth: 'required',
    // The phone enforces call waiting itself: main has it read the line's services again.
    changesLines: true
  }),
  serviceHistory: route({
    method: 'GET',
    path: '/v1/lines/:lineId/services-history',
    input: lineParam,
    output: serviceHistory,
    auth: 'required'
  })
} as const
