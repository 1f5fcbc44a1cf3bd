/**
 * The states of a support request, without zod, so the ops CLI checks `--status` without loading it (its start-up:
 * issue 24); shared/api/support.ts builds its schema from them.
 */
export const SUPPORT_STATUSES = ['open', 'answered', 'closed'] as const
export type SupportStatus = (typeof SUPPORT_STATUSES)[number]
