/**
 * The account session as the screens show it: the `account.session` query, kept current by main's
 * `account.sessionChanged` event (a sign-in or sign-out anywhere, another window's included). One hook for every
 * page and step that shows something only while signed in.
 */
import { useCallback } from 'react'
import type { SessionState } from '../../shared/ipc/account'
import { type Query, useEvent, useQuery } from './bridge/dialtone-context'

export function useSession(): Query<SessionState> {
  const session = useQuery('account.session')
  const { update } = session
  useEvent(
    'account.sessionChanged',
    useCallback((s: SessionState) => update(() => s), [update])
  )
  return session
}
