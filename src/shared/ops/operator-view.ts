/** An operator as the ops API shows it (no secrets: no password hash, TOTP secret or recovery codes). */
import { z } from 'zod'
import { instant } from '../api/common'
import { ROLES } from './permissions'

export const operatorView = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  partnerId: z.string().nullable(),
  status: z.enum(['pending', 'active', 'disabled']),
  createdAt: instant
})
export type OperatorView = z.infer<typeof operatorView>
