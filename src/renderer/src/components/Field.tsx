/**
 * The pieces every form here shares: a labelled input whose error (a field issue main or the service sent back,
 * by its path) sits under it and is announced, and the form-level refusal. One place, so every form reads and
 * behaves the same for screen readers and keyboards.
 */
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { isAttestationReason } from '../../../shared/api/attestation'
import type { DialtoneError } from '../../../shared/ipc/errors'
import { isolate } from '../../../shared/i18n/bidi'

/** The message for one field from a refusal ('address.street' matches the issue path or its end). */
export function issueFor(error: DialtoneError | undefined, path: string): string | undefined {
  return error?.issues.find((i) => i.path === path || i.path.endsWith(`.${path}`))?.message
}

interface FieldProps extends Omit<React.InputHTMLAttributes<HTMLInputElement>, 'onChange'> {
  label: string
  value: string
  onChange: (value: string) => void
  error?: string | undefined
  testId: string
  hint?: string
}

export function Field({
  label,
  value,
  onChange,
  error,
  testId,
  hint,
  ...input
}: FieldProps): React.JSX.Element {
  const id = useId()
  const described = [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ')
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        // What is typed keeps its own direction ("233 S Wacker Dr" in a Persian page); a field may say ltr.
        dir="auto"
        value={value}
        data-testid={testId}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
        onChange={(e) => onChange(e.target.value)}
        {...input}
      />
      {hint && (
        <p id={`${id}-hint`} className="muted hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {isolate(error)}
        </p>
      )}
    </div>
  )
}

/** Why the whole form was refused (the sentence main or the service gave), announced when it appears. */
export function FormError({
  error,
  testId
}: {
  error: DialtoneError | undefined
  testId: string
}): React.JSX.Element | null {
  const { t } = useTranslation()
  if (!error) return null
  // A dongle that could not prove itself: the app's words for why, and what to do.
  const worded = isAttestationReason(error.reason) ? t(`attestation.${error.reason}`) : null
  return (
    <p className="banner error" role="alert" data-testid={testId}>
      {worded ?? isolate(error.message)}
    </p>
  )
}
