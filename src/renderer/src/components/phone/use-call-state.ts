/** The analog line's state, kept current by main's events; and the SIP line's status the same way. */
import { useCallback } from 'react'
import type { CallState, LineStatus } from '../../../../shared/ipc/phone'
import { type Query, useEvent, useQuery } from '../../bridge/dialtone-context'

export function useCallState(): Query<CallState> {
  const q = useQuery('phone.callState')
  const { update } = q
  useEvent(
    'phone.callStateChanged',
    useCallback((s: CallState) => update(() => s), [update])
  )
  return q
}

export function useLineStatus(): Query<LineStatus> {
  const q = useQuery('phone.status')
  const { update } = q
  useEvent(
    'phone.statusChanged',
    useCallback((s: LineStatus) => update(() => s), [update])
  )
  return q
}
