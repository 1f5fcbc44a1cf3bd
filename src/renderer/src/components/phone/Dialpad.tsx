/**
 * The on-screen dialpad: type or click a number and call it (as if the handset were lifted and the number
 * keyed); during a call the keys send DTMF instead. Enter calls, Backspace deletes; the field groups the number as
 * it is typed (PhoneField.tsx), takes a pasted number or tel: link, and keeps only what can be dialled. During a
 * call a field takes the tones from the keyboard (a voice menu's "press 1" without tabbing through twelve keys),
 * and the tones sent in this call are shown, each said alone as it is sent. They are cleared 5 s after the last key
 * and when the call ends, and never read together: a PIN keyed into a voice menu must not stay on screen nor be
 * spoken whole (privacy review 35, L5).
 */
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { CallState } from '../../../../shared/ipc/phone'
import { dialable } from '../../../../shared/telephony/dial-plan'
import { asDialtoneError, useDialtone } from '../../bridge/dialtone-context'
import { useWords } from '../../words'
import { limit } from '../../limits'
import { Keypad } from '../Keypad'
import { PhoneInput } from '../PhoneField'
import { RemedyLink } from '../Field'
import type { DialtoneError } from '../../../../shared/ipc/errors'
import { logFailure } from '../../log'
import { isolate } from '../../../../shared/i18n/bidi'
import { Said, useSaid } from '../Said'

const IN_CALL = new Set<CallState['phase']>(['connected', 'callWaiting'])

/** How long the tones sent stay shown after the last key: long enough to check a menu choice, not to read a PIN. */
const TONES_SHOWN_MS = 5000

export function Dialpad({ state, initial = '' }: { state: CallState; initial?: string }): React.JSX.Element {
  const { t } = useTranslation()
  const words = useWords()
  const client = useDialtone()
  const [number, setNumber] = useState(initial)
  // Not a number (checked here), or main's refusal, worded where it is drawn (with its way to act, if any).
  const [badNumber, setBadNumber] = useState(false)
  const [failure, setFailure] = useState<DialtoneError | undefined>(undefined)
  const issue = failure?.issues[0]
  const refusal = failure && (issue ? words.issue(issue) : words.error(failure))
  const error = badNumber ? t('phone.dialError') : (refusal ?? null)
  const inCall = IN_CALL.has(state.phase)
  // The tones sent in this call (the last 24), for the eye and the ear, kept with the call they were sent in.
  const callId = state.call?.id ?? null
  const [sentIn, setSentIn] = useState<{ callId: string | null; digits: string }>({
    callId: null,
    digits: ''
  })
  const { said: toneSaid, say: sayTone } = useSaid()
  const sent = inCall && sentIn.callId === callId ? sentIn.digits : ''
  // The call ended: the tones go with it, from memory as well as from the screen.
  if (!inCall && sentIn.digits !== '') setSentIn({ callId: null, digits: '' })
  // Each key starts the wait again (a new object each press); the last one's timer clears them.
  useEffect(() => {
    if (sentIn.digits === '') return
    const clear = setTimeout(() => setSentIn({ callId: null, digits: '' }), TONES_SHOWN_MS)
    return () => clearTimeout(clear)
  }, [sentIn])

  const press = (key: string): void => {
    if (inCall) {
      void client.invoke('phone.press', { key }).catch(() => undefined)
      setSentIn((s) => ({ callId, digits: ((s.callId === callId ? s.digits : '') + key).slice(-24) }))
      sayTone(t('phone.toneSent', { key: isolate(key) }))
    } else setNumber((n) => dialable(n + key))
  }
  const dial = async (): Promise<void> => {
    setFailure(undefined)
    const wellFormed = /^\+?[\d*#]{1,24}$/.test(number)
    setBadNumber(!wellFormed)
    if (!wellFormed) return
    try {
      await client.invoke('phone.dial', { number })
    } catch (err) {
      setFailure(asDialtoneError(err))
    }
  }
  return (
    <form
      noValidate
      className="card dialpad"
      aria-labelledby="dialpad-title"
      onSubmit={(e) => {
        e.preventDefault()
        // During a call the form holds the tone field: Enter there must not dial the last number as tones.
        if (inCall) return
        void dial().catch(logFailure('Dialpad: dial'))
      }}
    >
      <h2 id="dialpad-title">{inCall ? t('phone.tones') : t('phone.dialpad')}</h2>
      {/* Left to right as the number is (the keypad too): ⌫ stays after the digits it deletes in a Persian page;
          the label keeps its own direction. */}
      {!inCall && (
        <div className="dial-field" dir="ltr" data-testid="dial-field">
          <label htmlFor="dial-number" dir="auto">
            {t('phone.numberLabel')}
          </label>
          <PhoneInput
            id="dial-number"
            codes
            inputMode="tel"
            autoComplete="tel"
            value={number}
            data-testid="dial-number"
            maxLength={limit('phone.dial', 'number')}
            aria-invalid={error !== null}
            aria-describedby={error ? 'dial-error' : undefined}
            onChange={setNumber}
          />
          <button
            type="button"
            className="secondary"
            aria-label={t('phone.delete')}
            data-testid="dial-delete"
            onClick={() => setNumber((n) => n.slice(0, -1))}
          >
            ⌫
          </button>
        </div>
      )}
      {inCall && (
        <div className="dial-field" dir="ltr">
          <label htmlFor="tone-keys" dir="auto">
            {t('phone.toneKeys')}
          </label>
          <input
            id="tone-keys"
            data-testid="tone-keys"
            inputMode="tel"
            dir="ltr"
            autoComplete="off"
            onKeyDown={(e) => {
              if (e.key === 'Enter') e.preventDefault()
            }}
            // Each key typed (or pasted) is a tone sent at once; the field stays empty for the next.
            onChange={(e) => {
              for (const key of e.target.value) if (/^[0-9*#]$/.test(key)) press(key)
              e.target.value = ''
            }}
          />
        </div>
      )}
      {error && (
        <p id="dial-error" className="field-error" role="alert">
          {error}
        </p>
      )}
      <RemedyLink error={issue ? undefined : failure} testId="dial-error-remedy" />
      <Keypad testIdPrefix="dial-key" onPress={press} />
      {/* The tones so far are shown, not read: read, a PIN keyed into a voice menu would be spoken in full again at
          each key. Each key is said alone as it goes. */}
      <p className="muted said" aria-hidden="true" data-testid="tones-sent">
        {sent ? t('phone.tonesSent', { digits: isolate(sent) }) : ''}
      </p>
      <Said said={toneSaid} look="unseen" testId="tone-said" />
      {!inCall && (
        <button type="submit" data-testid="dial-call" disabled={number === '' || state.phase === 'ringing'}>
          {t('phone.call')}
        </button>
      )}
    </form>
  )
}
