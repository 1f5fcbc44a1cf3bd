/**
 * "Clear history" under Recent calls: asks first (nothing is cleared until the person says so again), then clears
 * the history the screen shows — the signed-in account's, or with no one signed in the calls made then. main
 * refuses if someone else signed in meanwhile, so a click never clears another person's calls.
 */
import { useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { HistoryEntry } from '../../../../shared/ipc/phone'
import { useAction, useDialtone } from '../../bridge/dialtone-context'
import { logFailure } from '../../log'
import { FormError } from '../Field'
import { useQuestionFocus } from '../../question-focus'

export function ClearHistory({
  accountId,
  onCleared
}: {
  accountId: string | null
  onCleared: (calls: HistoryEntry[]) => void
}): React.JSX.Element {
  const { t } = useTranslation()
  const client = useDialtone()
  const [asking, setAsking] = useState(false)
  const clear = useAction(() => client.invoke('phone.clearHistory', { accountId }))
  const keep = useRef<HTMLButtonElement>(null)
  const start = useRef<HTMLButtonElement>(null)
  // Focus goes to the safe answer when asked, and back to the button when the question goes.
  useQuestionFocus(asking, keep, start)
  if (!asking)
    return (
      <div className="actions">
        <button
          type="button"
          className="secondary"
          ref={start}
          data-testid="call-history-clear"
          onClick={() => {
            clear.clear()
            setAsking(true)
          }}
        >
          {t('phone.clearHistory')}
        </button>
      </div>
    )
  return (
    <div
      className="form"
      role="group"
      aria-labelledby="clear-history-ask"
      data-testid="call-history-clear-ask"
    >
      <p id="clear-history-ask">
        <strong>{t('phone.clearHistoryAsk')}</strong>
      </p>
      <p>{t('phone.clearHistoryWhat')}</p>
      <FormError error={clear.error} testId="call-history-clear-error" />
      <div className="row-actions">
        <button
          type="button"
          className="danger"
          data-testid="call-history-clear-confirm"
          aria-disabled={clear.pending}
          onClick={() =>
            void clear
              .run()
              .then((r) => {
                if (!r) return
                setAsking(false)
                onCleared(r.calls)
              })
              .catch(logFailure('ClearHistory: clear.run'))
          }
        >
          {t('phone.clearHistoryConfirm')}
        </button>
        <button
          type="button"
          className="secondary"
          ref={keep}
          data-testid="call-history-clear-keep"
          onClick={() => setAsking(false)}
        >
          {t('phone.clearHistoryKeep')}
        </button>
      </div>
    </div>
  )
}
