/**
 * Call forwarding on the Phone page (issue 23): where this line's calls go when it is busy, does not answer in a
 * number of rings, cannot be reached (dongle unplugged, computer asleep, app closed), or always. The service keeps
 * the rules and the SIP server enforces them with the app off; the handset's *72 / *73 change "always" too (what
 * the last star code did is said at the top of the page: StarCodeNote.tsx), and the form follows.
 */
import { useCallback, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useAction, useDialtone, useEvent, useQuery } from '../../bridge/dialtone-context'
import {
  FORWARDING_CONDITIONS,
  FORWARDING_RINGS,
  RING_CYCLE_S,
  type ForwardingCondition,
  type ForwardingView
} from '../../../../shared/api/forwarding'
import type { StarCodeOutcome } from '../../../../shared/ipc/forwarding'
import { HIDE_CALLER_ID, STAR_FEATURES, codeOf } from '../../../../shared/telephony/star-codes'
import { isolate } from '../../../../shared/i18n/bidi'
import { limit } from '../../limits'
import { logFailure } from '../../log'
import { FormError, issueFor } from '../Field'
import { PhoneField } from '../PhoneField'

type Numbers = Record<ForwardingCondition, string>

/** What the last star code did, as a sentence. */
export function CallForwarding({ number }: { number: string | null }): React.JSX.Element | null {
  const { t } = useTranslation()
  const lines = useQuery('account.lines')
  const line = lines.data?.lines.find((l) => l.number === number) ?? lines.data?.lines[0]
  const lineId = line?.id ?? null
  const rules = useQuery('forwarding.get', ...(lineId ? ([{ lineId }] as const) : ([null] as const)))
  // Kept here: a save gives new rules, and the form starts afresh from them (its key), saying so.
  const [saved, setSaved] = useState(false)
  const { data, refresh, update } = rules
  useEvent(
    'forwarding.starCode',
    useCallback(
      // The outcome itself is said at the top of the Phone page (StarCodeNote), signed in or not.
      (o: StarCodeOutcome) => {
        if (o.feature === 'forwardOn' || o.feature === 'forwardOff') refresh()
      },
      [refresh]
    )
  )
  if (!lineId) return null
  return (
    <section className="card" aria-labelledby="forwarding-title" data-testid="forwarding">
      <h2 id="forwarding-title">{t('forwarding.title')}</h2>
      <p className="muted">{t('forwarding.hint')}</p>
      <FormError error={rules.error} testId="forwarding-load-error" />
      {data && (
        <ForwardingForm
          key={data.updatedAt ?? 'new'}
          lineId={lineId}
          rules={data}
          saved={saved}
          onEdit={() => setSaved(false)}
          onSaved={(next) => {
            setSaved(true)
            update(() => next)
          }}
        />
      )}
    </section>
  )
}

/** The rules as a form, started from what the service has (a new copy each time the rules change). */
function ForwardingForm({
  lineId,
  rules,
  saved,
  onEdit,
  onSaved
}: {
  lineId: string
  rules: ForwardingView
  saved: boolean
  onEdit: () => void
  onSaved: (next: ForwardingView) => void
}): React.JSX.Element {
  const { t } = useTranslation()
  const client = useDialtone()
  const [form, setForm] = useState<Numbers>(() => ({
    always: rules.always ?? '',
    busy: rules.busy ?? '',
    noAnswer: rules.noAnswer ?? '',
    unavailable: rules.unavailable ?? ''
  }))
  const [rings, setRings] = useState<number>(rules.noAnswerRings)
  const save = useAction(() => {
    const value = (c: ForwardingCondition) => (form[c].trim() === '' ? null : form[c].trim())
    return client.invoke('forwarding.set', {
      lineId,
      always: value('always'),
      busy: value('busy'),
      noAnswer: value('noAnswer'),
      noAnswerRings: rings,
      unavailable: value('unavailable')
    })
  })
  return (
    <form
      noValidate
      className="form"
      onSubmit={(e) => {
        e.preventDefault()
        onEdit()
        void save
          .run()
          .then((r) => {
            if (r) onSaved(r)
          })
          .catch(logFailure('CallForwarding: save.run'))
      }}
    >
      <div className="field-grid">
        {FORWARDING_CONDITIONS.map((c) => (
          <PhoneField
            key={c}
            label={t(`forwarding.condition.${c}`)}
            hint={t(`forwarding.conditionHint.${c}`)}
            value={form[c]}
            onChange={(v) => {
              onEdit()
              setForm((f) => ({ ...f, [c]: v }))
            }}
            testId={`forwarding-${c}`}
            maxLength={limit('forwarding.set', c)}
            inputMode="tel"
            placeholder={t('forwarding.off')}
            error={issueFor(save.error, c)}
          />
        ))}
        <div className="field">
          <label htmlFor="forwarding-rings">{t('forwarding.rings')}</label>
          <select
            id="forwarding-rings"
            data-testid="forwarding-rings"
            value={rings}
            onChange={(e) => {
              onEdit()
              setRings(Number(e.target.value))
            }}
          >
            {Array.from(
              { length: FORWARDING_RINGS.max - FORWARDING_RINGS.min + 1 },
              (_, i) => i + FORWARDING_RINGS.min
            ).map((n) => (
              <option key={n} value={n}>
                {/* count picks the language's plural form ("1 ring", "2 rings"); i18next isolates both values. */}
                {t('forwarding.ringsOption', { count: n, seconds: n * RING_CYCLE_S })}
              </option>
            ))}
          </select>
        </div>
      </div>
      <FormError
        error={save.error && save.error.issues.length === 0 ? save.error : undefined}
        testId="forwarding-error"
      />
      {saved && (
        <p className="banner" role="status" data-testid="forwarding-saved">
          {t('forwarding.saved')}
        </p>
      )}
      <button type="submit" aria-disabled={save.pending} data-testid="forwarding-save">
        {t('forwarding.save')}
      </button>
      <p className="muted">
        {t('forwarding.starCodes', {
          ...Object.fromEntries(STAR_FEATURES.map((f) => [f, isolate(codeOf(f))])),
          hide: isolate(HIDE_CALLER_ID)
        })}
      </p>
    </form>
  )
}
