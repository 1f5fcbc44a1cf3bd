/**
 * The area code a new line's number comes from, checked with the service while the person types (once three
 * digits are there) and when they leave the field, and again before the form is sent: a code without free
 * numbers says so at once and offers the nearest codes that have some (same state or province first), each a
 * button that puts it in the field. So nobody waits for an activation email for a line that cannot be made.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { isolate } from '../../../../shared/i18n/bidi'
import type { ResponseOf } from '../../../../shared/ipc/contract'
import type { FieldIssue } from '../../../../shared/ipc/errors'
import { asDialtoneError, useDialtone } from '../../bridge/dialtone-context'
import { Field } from '../Field'
import { logFailure } from '../../log'
import { Said } from '../Said'

type Availability = ResponseOf<'account.areaCodeAvailability'>

/** What the service said about the code in the field: free, full (with nearby ones), or not an area code. */
type Verdict = { code: string; answer: Availability } | { code: string; notAssignable: true }

export interface AreaCodeCheck {
  readonly verdict: Verdict | undefined
  /** Asks now (leaving the field, sending the form); false only when the service said no number can come. */
  confirm(): Promise<boolean>
}

/** Three digits, the first 2-9: the shape worth asking about (anything else main refuses with its own words). */
const ASKABLE = /^[2-9]\d\d$/
const TYPING_PAUSE_MS = 300

export function useAreaCodeCheck(areaCode: string): AreaCodeCheck {
  const client = useDialtone()
  const [verdict, setVerdict] = useState<Verdict | undefined>(undefined)
  const latest = useRef(areaCode)
  useEffect(() => {
    latest.current = areaCode
  }, [areaCode])
  const ask = useCallback(
    async (code: string): Promise<Verdict | undefined> => {
      try {
        const answer = await client.invoke('account.areaCodeAvailability', { areaCode: code })
        return { code, answer }
      } catch (err) {
        // Only "not an area code" is an answer; an unreachable service is left to the form's own refusal.
        return asDialtoneError(err).reason === 'area-code' ? { code, notAssignable: true } : undefined
      }
    },
    [client]
  )
  const settle = useCallback((v: Verdict | undefined, code: string) => {
    if (latest.current === code) setVerdict(v)
  }, [])
  useEffect(() => {
    if (!ASKABLE.test(areaCode)) return
    const timer = setTimeout(
      () =>
        void ask(areaCode)
          .then((v) => settle(v, areaCode))
          .catch(logFailure('AreaCode: ask')),
      TYPING_PAUSE_MS
    )
    return () => clearTimeout(timer)
  }, [areaCode, ask, settle])
  const confirm = useCallback(async (): Promise<boolean> => {
    const code = latest.current
    if (!ASKABLE.test(code)) return true
    const v = await ask(code)
    settle(v, code)
    return !v || ('answer' in v && v.answer.available)
  }, [ask, settle])
  return { verdict: verdict?.code === areaCode ? verdict : undefined, confirm }
}

export function AreaCodeField({
  value,
  onChange,
  check,
  error
}: {
  value: string
  onChange: (areaCode: string) => void
  check: AreaCodeCheck
  /** The form's refusal for this field, when the service has not said more. */
  error: FieldIssue | undefined
}): React.JSX.Element {
  const { t } = useTranslation()
  const v = check.verdict
  const answer = v && 'answer' in v ? v.answer : undefined
  const place = (a: { areaCode: string; region: string | null }): string =>
    a.region ? t('areaCode.inRegion', { areaCode: a.areaCode, region: a.region }) : isolate(a.areaCode)
  const full = answer && !answer.available
  const hint = answer?.available ? t('areaCode.free', { place: place(answer) }) : undefined
  const refusal =
    v && 'notAssignable' in v
      ? t('areaCode.notAssignable', { areaCode: v.code })
      : full
        ? t('areaCode.full', { place: place(answer) })
        : undefined
  return (
    <div className="area-code" data-testid="area-code">
      <Field
        label={t('contact.areaCode')}
        value={value}
        onChange={onChange}
        testId="contact-areaCode"
        latinDigits
        inputMode="numeric"
        dir="ltr"
        required
        onBlur={() => void check.confirm().catch(logFailure('AreaCode: check.confirm'))}
        hint={hint}
        // The service's answer comes a moment after typing: its line is kept, so the acceptances below it do not
        // jump as a person goes to tick them (a click landed beside the box in a loaded CI run).
        reserveHint
        errorText={refusal}
        error={error}
      />
      {/* The answer comes a moment after typing, into the field's hint, which is not read when it changes. */}
      <Said look="unseen" testId="area-code-said" said={refusal ?? hint ?? ''} />
      {full && (
        <div className="area-nearby" data-testid="area-nearby" role="group" aria-label={t('areaCode.nearby')}>
          {answer.nearby.length === 0 ? (
            <p className="muted">{t('areaCode.noneNearby')}</p>
          ) : (
            <>
              <p className="muted">{t('areaCode.nearby')}</p>
              {answer.nearby.map((n) => (
                <button
                  key={n.areaCode}
                  type="button"
                  className="secondary"
                  data-testid={`area-nearby-${n.areaCode}`}
                  aria-label={t('areaCode.use', { place: place(n) })}
                  onClick={() => onChange(n.areaCode)}
                >
                  {place(n)}
                </button>
              ))}
            </>
          )}
        </div>
      )}
    </div>
  )
}
