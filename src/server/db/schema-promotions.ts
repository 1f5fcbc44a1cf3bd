/** The tables of promotions (migration 0014, src/server/db/migration-promotions.ts; issue 20). */

export type PromotionKind = 'half_price_for_life'
export type PromotionEligibility = 'conversion' | 'renewal' | 'both'
export type PromotionAudience = 'new' | 'any'

/** A campaign: a code that grants its discount at a trial's conversion, at a renewal, or both. */
export interface PromotionsTable {
  id: string
  /** Upper-case; compared case-insensitively by upper-casing the input. */
  code: string
  kind: PromotionKind
  percent_off: number
  starts_at: string
  ends_at: string
  eligible: PromotionEligibility
  /** 'new': only accounts created on or after starts_at. */
  audience: PromotionAudience
  /** Total grants allowed; null for no limit. */
  max_grants: number | null
  /** Reserved (paid for, being granted) and granted redemptions: the count the limit is checked against. */
  grants: number
  state: 'active' | 'ended'
  created_by: string
  created_at: string
  ended_at: string | null
  ended_by: string | null
}

/** One account's use of a campaign: reserved with its checkout order, granted when the order is paid. */
export interface PromotionRedemptionsTable {
  id: string
  promotion_id: string
  account_id: string
  line_id: string
  order_id: string
  status: 'reserved' | 'granted'
  discount_grant_id: string | null
  created_at: string
  granted_at: string | null
}

export interface PromotionsTables {
  promotions: PromotionsTable
  promotion_redemptions: PromotionRedemptionsTable
}
