/**
 * The way to the place a failed (or ended) call's sentence names ("…switched off for this line (Account, Connected
 * services)", "…held until the promised payment is repaid", "…the credit for calls abroad ran out"): a link beside
 * the sentence, on the call panel and in the recent calls, for a person whose role may act there (remedies.ts,
 * CALL_FAILURE_REMEDIES). No dead ends: for a person whose role may not (a business's line user), the sentence names
 * who can instead (`phone.askAdmin`), and there is no link. The caller puts these inside a RoleProvider, once for
 * all it shows (each provider asks for the role).
 */
import { useTranslation } from 'react-i18next'
import { type CallFailure, type CallWhy, isCallFailure } from '../../../../shared/telephony/call-why'
import { CALL_FAILURE_REMEDIES } from '../../remedies'
import { Allowed, useMayCall } from '../business/role'

/** The key of a call's words: its own, or for a role that may not act where they point, the one naming who can. */
function useWordsKey(why: CallWhy): string {
  const mayAct = useMayCall(...(CALL_FAILURE_REMEDIES[why]?.routes ?? []))
  if (!mayAct) return `phone.askAdmin.${why}`
  return isCallFailure(why) ? `phone.failure.${why}` : `phone.why.${why}`
}

/** The call panel's sentence: why the last call failed or ended, with the way to act when there is one. */
export function CallReason({ why }: { why: CallWhy }): React.JSX.Element {
  const { t } = useTranslation()
  const key = useWordsKey(why)
  return (
    <>
      {isCallFailure(why) ? t('phone.callFailed', { why: t(key) }) : t(key)}
      <CallFailureRemedy why={why} testId="call-reason-remedy" />
    </>
  )
}

/** A failed call's reason in the recent calls, in parentheses. */
export function CallFailureWords({ why }: { why: CallFailure }): React.JSX.Element {
  const { t } = useTranslation()
  return <span data-testid="call-history-failure"> ({t(useWordsKey(why))})</span>
}

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
