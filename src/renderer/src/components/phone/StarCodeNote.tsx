/**
 * What the last star code dialled on the handset did (*72 forwarding on, *69 call back, *60 block the last caller
 * …), in words, at the top of the Phone page: the call panel's "the service code could not be carried out" points
 * here. Shown signed in or not ("sign in to your account first" comes with the way there), so it is never a
 * sentence pointing at a card that is not drawn.
 */
import { useCallback, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { StarCodeOutcome } from '../../../../shared/ipc/forwarding'
import { codeOf } from '../../../../shared/telephony/star-codes'
import { isolate } from '../../../../shared/i18n/bidi'
import { useEvent } from '../../bridge/dialtone-context'
import { useWords } from '../../words'
import { usePhoneNumbers } from '../../phone-numbers'

export function StarCodeNote(): React.JSX.Element | null {
  const { t } = useTranslation()
  const phone = usePhoneNumbers()
  const words = useWords()
  const [outcome, setOutcome] = useState<StarCodeOutcome | null>(null)
  useEvent(
    'forwarding.starCode',
    useCallback((o: StarCodeOutcome) => setOutcome(o), [])
  )
  if (!outcome) return null
  const number = outcome.number ? isolate(phone(outcome.number)) : ''
  const code = isolate(codeOf(outcome.feature))
  const text = outcome.ok
    ? t(`forwarding.starCode.done.${outcome.feature}`, { number, code })
    : outcome.failure === 'serviceRefused' && outcome.reason
      ? t('forwarding.starCode.refused', {
          why: words.issue({
            code: outcome.reason,
            ...(outcome.number ? { params: { number: outcome.number } } : {})
          })
        })
      : t(`forwarding.starCode.failed.${outcome.failure ?? 'serviceUnreachable'}`, { code })
  return (
    <p className={outcome.ok ? 'banner' : 'banner error'} role="status" data-testid="star-code-outcome">
      {text}
      {outcome.failure === 'notSignedIn' && (
        <>
          {' '}
          <a href="#/account" data-testid="star-code-sign-in">
            {t('line.openAccount')}
          </a>
        </>
      )}
    </p>
  )
}
