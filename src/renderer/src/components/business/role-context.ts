/**
 * The signed-in person's role on the account they act for, as a React context without markup, so that plain
 * modules (words.ts, which words a refusal for a business's member as asking the owner) can read it. The provider,
 * which asks the service for the role, is `RoleProvider` in ./role.tsx.
 */
import { createContext, useContext } from 'react'
import type { AccountRole } from '../../../../shared/api/business'

/** Until the role is known, the owner's view (what every account had before businesses had members). */
export const RoleContext = createContext<AccountRole>('owner')

export const useRole = (): AccountRole => useContext(RoleContext)
