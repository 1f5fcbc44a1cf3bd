/**
 * The pieces every form here shares: a labelled input whose error (a field issue main or the service sent back,
 * by its path) sits under it and is announced, and the form-level refusal. Both word codes through
 * src/renderer/src/words.ts, never the wire's English; a refusal that sends the person elsewhere links there
 * (src/renderer/src/remedies.ts). One place, so every form reads and behaves the same for screen readers and
 * keyboards.
 */
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { DialtoneError, FieldIssue } from '../../../shared/ipc/errors'
import { latinDigits as toLatin } from '../../../shared/numbers/latin-digits'
import { remedyFor, samePlace } from '../remedies'
import { useRole } from './business/role-context'
import { useWords } from '../words'

/** The issue for one field from a refusal ('address.street' matches the issue path or its end). */
export function issueFor(error: DialtoneError | undefined, path: string): FieldIssue | undefined {
  return error?.issues.find((i) => i.path === path || i.path.endsWith(`.${path}`))
}

/** One field issue, worded, for places that lay out their own field (checkboxes, selects). */
export function IssueText({
  issue,
  id
}: {
  issue: FieldIssue | undefined
  id?: string
}): React.JSX.Element | null {
  const words = useWords()
  if (!issue) return null
  return (
    <p id={id} className="field-error">
      {words.issue(issue)}
    </p>
  )
}

interface FieldProps extends Omit<React.InputHTMLAttributes<HTMLInputElement>, 'onChange'> {
  label: string
  value: string
  onChange: (value: string) => void
  error?: FieldIssue | undefined
  /** A sentence the app already worded from its own locale (it wins over `error`). */
  errorText?: string | undefined
  testId: string
  hint?: string
  /**
   * Keep the hint's line even while there is no hint: for a hint that arrives later (an answer from the service),
   * so the form below does not move under the pointer when it does. Kept beside an error too: the answer for a
   * corrected value arrives while the refusal of the old one is still shown (the Start button moved between a
   * click's press and release in a loaded CI run, and the click was lost).
   */
  reserveHint?: boolean
  /**
   * A field of digits (a code, a card, an area code, a ZIP, a PIN, an amount): Persian and Arabic-Indic digits
   * reach `onChange` as 0-9 (shared/numbers/latin-digits.ts), so every check and command sees Latin ones, while
   * the field goes on showing what the person typed.
   */
  latinDigits?: boolean
  /**
   * The id of what else describes the field, outside it (the password rules said above it): joined into the
   * field's own description, after its error and hint.
   */
  describedBy?: string | undefined
}

export function Field({
  label,
  value,
  onChange,
  error,
  errorText,
  testId,
  hint,
  reserveHint = false,
  latinDigits = false,
  describedBy,
  ...input
}: FieldProps): React.JSX.Element {
  const id = useId()
  // What was typed, shown while it still reads as the form's value (a reset or a value set elsewhere wins).
  const [typed, setTyped] = useState(value)
  const shown = latinDigits && toLatin(typed) === value ? typed : value
  const invalid = errorText !== undefined || error !== undefined
  const described = [invalid ? `${id}-error` : '', hint ? `${id}-hint` : '', describedBy ?? '']
    .filter(Boolean)
    .join(' ')
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        // What is typed keeps its own direction ("233 S Wacker Dr" in a Persian page); a field may say ltr.
        dir="auto"
        value={shown}
        data-testid={testId}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={described || undefined}
        onChange={(e) => {
          const text = e.target.value
          setTyped(text)
          onChange(latinDigits ? toLatin(text) : text)
        }}
        {...input}
      />
      {hint ? (
        <p id={`${id}-hint`} className="muted hint">
          {hint}
        </p>
      ) : (
        reserveHint && (
          <p className="muted hint" aria-hidden="true">
            {'\u00a0'}
          </p>
        )
      )}
      {errorText !== undefined ? (
        <p id={`${id}-error`} className="field-error">
          {errorText}
        </p>
      ) : (
        <IssueText issue={error} id={`${id}-error`} />
      )}
    </div>
  )
}

/**
 * Why the whole form was refused, worded from its code and reason, announced when it appears; with a link to the
 * place to act when that is not the page shown.
 */
export function FormError({
  error,
  testId
}: {
  error: DialtoneError | undefined
  testId: string
}): React.JSX.Element | null {
  const words = useWords()
  if (!error) return null
  return (
    <>
      <p className="banner error" role="alert" data-testid={testId}>
        {words.error(error)}
      </p>
      <RemedyLink error={error} testId={`${testId}-remedy`} />
    </>
  )
}

/**
 * The way to act on a refusal worded elsewhere (a field's line, a page's own banner): the link to the place its
 * sentence names, unless that place is the one shown. Beside the alert, not in it: the alert is the one sentence.
 */
export function RemedyLink({
  error,
  testId
}: {
  error: DialtoneError | undefined
  testId: string
}): React.JSX.Element | null {
  const { t } = useTranslation()
  const role = useRole()
  const remedy = error && remedyFor(error, role)
  const here = typeof window === 'undefined' ? '' : window.location.hash
  if (!remedy || samePlace(remedy.href, here)) return null
  return (
    <p className="remedy">
      <a href={remedy.href} data-testid={testId}>
        {t(remedy.label)}
      </a>
    </p>
  )
}
