/**
 * Who is calling the ops API: an operator (by a short session from sign-in) or a partner's till or web shop (by
 * its API key). Partners act with the role their kind gives them; a web shop's key holds no role yet (its
 * webhook comes with the web-shop orders of issue 20).
 */
import type { Role } from '../../shared/ops/permissions'

export interface OpsActor {
  readonly kind: 'operator' | 'partner'
  readonly id: string
  /** An operator's email or a partner's name, for the audit log. */
  readonly label: string
  /** Who this is to a person: an operator's name (whoami, a signed statement's signature) or a partner's name. */
  readonly name: string
  readonly role: Role | null
  readonly partnerId: string | null
  readonly sessionId: string | null
  readonly expiresAt: string | null
}
