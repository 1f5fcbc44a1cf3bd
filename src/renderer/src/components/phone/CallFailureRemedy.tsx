/**
 * The way to the place a failed (or ended) call's sentence names ("…switched off for this line (Account, Connected
 * services)", "…held until the promised payment is repaid", "…the credit for calls abroad ran out"): a link beside
 * the sentence, on the call panel and in the recent calls, for a person whose role may act there (remedies.ts, CALL_FAILURE_REMEDIES). No dead ends.
 * The caller puts it inside a RoleProvider, once for all the links it shows (each provider asks for the role).
 */
import { useTranslation } from 'react-i18next'
import type { CallWhy } from '../../../../shared/telephony/call-why'
import { CALL_FAILURE_REMEDIES } from '../../remedies'
import { Allowed } from '../business/role'

export function CallFailureRemedy({
  why,
  testId
}: {
  why: CallWhy
  testId: string
}): React.JSX.Element | null {
  const { t } = useTranslation()
  const remedy = CALL_FAILURE_REMEDIES[why]
  if (!remedy) return null
  return (
    <Allowed routes={[...remedy.routes]}>
      {' '}
      <a href={remedy.href} data-testid={testId}>
        {t(remedy.label)}
      </a>
    </Allowed>
  )
}

/** Whether a failure has a place to link to (so a list asks for the role only when it shows such a link). */
export const hasRemedy = (why: CallWhy | null | undefined): boolean =>
  why !== null && why !== undefined && CALL_FAILURE_REMEDIES[why] !== undefined
