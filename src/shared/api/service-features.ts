/**
 * What a catalog service can do (shared/api/services.ts says why the list is fixed), without zod, so the ops CLI
 * checks `--feature` without loading it (its start-up: issue 24).
 */
/** Every feature a catalog service can provide. */
export const SERVICE_FEATURES = [
  'voicemail',
  'forwarding',
  'caller-id-withheld',
  'international',
  'call-waiting',
  'minutes-packs',
  'star-codes',
  'three-way',
  'transfer'
] as const
export type ServiceFeature = (typeof SERVICE_FEATURES)[number]
