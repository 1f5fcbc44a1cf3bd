/**
 * Where a person types a phone number (the dialpad, a transfer target, call forwarding, blocked numbers, phone
 * sign-up, the profile's phone): the number is grouped as it is typed ("(212) 555-01", "+44 20 7946 0958"), with
 * the caret where the person left it (typing or deleting in the middle, Backspace over a ')' or a space, a paste of
 * "+44 20 7946 0958" or "tel:+1-212-555-0100"). The form keeps, and sends, the number itself: digits with a leading
 * '+' (and '*' '#' where the field dials), as before formatting. The field is left to right in every language.
 * Letters are never dropped in silence: the field keeps "hello" as typed, says under it that only digits go in a
 * phone number, and the form gets the text as it is, so its check refuses it and nothing is saved as "off".
 *
 * The formatter is libphonenumber's as-you-type (src/shared/numbers/phone-format.ts, with its
 * metadata ~35 KiB gzip), fetched as its own chunk when the first such field shows; until then the field shows the
 * number unformatted. The caret rules are src/shared/numbers/typed-number.ts. Its own module, so the first page
 * (which has no such field) never loads it.
 */
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react'
import type { FieldIssue } from '../../../shared/ipc/errors'
import {
  foreignCharacters,
  significant,
  typed,
  type Typed,
  type TypingRules
} from '../../../shared/numbers/typed-number'
import { loadPhoneFormat, usePhoneFormatModule } from '../phone-numbers'
import { IssueText } from './Field'

type InputProps = Omit<
  React.InputHTMLAttributes<HTMLInputElement>,
  'value' | 'onChange' | 'maxLength' | 'dir'
>

export interface PhoneInputProps extends InputProps {
  /**
   * The number itself (what the form sends): digits, a leading '+', and '*' '#' when `codes`; or, when the person
   * typed characters no number holds, the text as typed (the form's check refuses it, the field says why).
   */
  value: string
  onChange: (number: string) => void
  /** The command's limit for the number (limits.ts); what is typed past it is dropped. */
  maxLength: number | undefined
  codes?: boolean
}

/** The bare input, for a form that lays out its own label (the dialpad, call transfer). */
export function PhoneInput({
  value,
  onChange,
  maxLength,
  codes = false,
  ...input
}: PhoneInputProps): React.JSX.Element {
  const loaded = usePhoneFormatModule()
  useEffect(() => {
    if (!loaded) loadPhoneFormat()
  }, [loaded])
  const rules: TypingRules = { codes, max: maxLength ?? 32 }
  const format = loaded ? loaded.formatAsTyped : (n: string) => n
  const ref = useRef<HTMLInputElement>(null)
  const from = (number: string): Typed => {
    const text = loaded ? loaded.formatInField(number) : number
    return { text, caret: text.length }
  }
  const [shown, setShown] = useState<Typed>(() => from(value))
  // The number this field last showed, and whether formatted: a different value came from elsewhere (a keypad
  // key, a reset after saving); the formatter's arrival groups what is there, the caret after the same digits.
  const [synced, setSynced] = useState({ value, formatted: loaded !== null })
  if (value !== synced.value || (loaded !== null) !== synced.formatted) {
    setSynced({ value, formatted: loaded !== null })
    // Untouched since it was given (a saved forwarding target, a reload): shown as every screen shows it.
    const given = value !== synced.value || shown.text === value
    setShown(given ? from(value) : typed(shown, shown, 'insertReplacementText', format, rules).shown)
  }

  useLayoutEffect(() => {
    const el = ref.current
    if (el && document.activeElement === el) el.setSelectionRange(shown.caret, shown.caret)
  }, [shown])

  return (
    <input
      {...input}
      ref={ref}
      dir="ltr"
      value={shown.text}
      onChange={(e) => {
        const el = e.currentTarget
        const kind = (e.nativeEvent as Partial<InputEvent>).inputType ?? 'insertText'
        const after = { text: el.value, caret: el.selectionStart ?? el.value.length }
        const next = typed(shown, after, kind, format, rules)
        setShown(next.shown)
        if (next.number !== value) {
          setSynced({ value: next.number, formatted: loaded !== null })
          onChange(next.number)
        }
      }}
    />
  )
}

export interface PhoneFieldProps extends PhoneInputProps {
  label: string
  error?: FieldIssue | undefined
  hint?: string
  testId: string
}

/**
 * The form's refusal, only while the field holds the number it was about. A save the service refused says why
 * under the field; once the person edits the number the note is about a number no longer there ("too short"
 * under a number now complete reads as a refusal of the new one), so it goes. It comes back if they restore the
 * very number that was refused: that number would be refused again, and a demanding person would rather know
 * before pressing Save than after another round trip. A new refusal (a new issue object from the next save) is
 * about the number held at that moment.
 */
export function useRefusalFor(error: FieldIssue | undefined, value: string): FieldIssue | undefined {
  const [about, setAbout] = useState({ error, value })
  if (error !== about.error) setAbout({ error, value })
  // On the render that brings a new refusal, `about` is still the old one: the new one is about this value.
  const current = error !== about.error ? value : about.value
  return error && value === current ? error : undefined
}

/** A labelled phone number field, laid out and announced as Field.tsx's fields are. */
export function PhoneField({ label, error, hint, testId, ...input }: PhoneFieldProps): React.JSX.Element {
  const id = useId()
  const refusal = useRefusalFor(error, input.value)
  // Said as soon as it is typed, and before any refusal from the form: it is what the person has to change.
  const foreign = foreignCharacters(input.value, { codes: input.codes ?? false, max: input.maxLength ?? 32 })
  const issue: FieldIssue | undefined =
    foreign !== ''
      ? { path: '', code: 'phone-characters', params: { characters: foreign }, message: '' }
      : refusal
  const described = [issue ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ')
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <PhoneInput
        {...input}
        id={id}
        data-testid={testId}
        aria-invalid={issue ? true : undefined}
        aria-describedby={described || undefined}
      />
      {hint && (
        <p id={`${id}-hint`} className="muted hint">
          {hint}
        </p>
      )}
      <IssueText issue={issue} id={`${id}-error`} />
    </div>
  )
}

/** What of a typed text is the number, for a value that did not come through a PhoneInput (a link's number). */
export const phoneNumberOf = (text: string, codes: boolean, max = 32): string =>
  significant(text, { codes, max })
