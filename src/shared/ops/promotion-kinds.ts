/**
 * A promotion's kind, when it applies and to whom (seed 004), without zod, so the ops CLI checks its flags without
 * loading it (its start-up: issue 24); ./routes-promotions.ts builds its schemas from them.
 */
export const PROMOTION_KINDS = ['half_price_for_life'] as const
export const PROMOTION_ELIGIBILITY = ['conversion', 'renewal', 'both'] as const
export const PROMOTION_AUDIENCES = ['new', 'any'] as const
