/**
 * Call audio: which microphone and speaker calls use and where the computer rings, each "automatic" by default
 * (the dongle's own when it is plugged in, found by its USB ids, else the computer's), with a test tone for the
 * speaker and the ringer. Choices are kept by device name, so they survive a re-plug.
 */
import { useEffect, useId, useReducer, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Settings, SettingsPatch } from '../../../shared/settings'
import type { AudioChoice, AudioDevice } from '../../../shared/telephony/audio-devices'
import { useMediaEngine } from '../media/media-context'
import { TechnicalDetails } from './TechnicalDetails'

/** The browser's media errors by name (DOMException), each worded in settings.audio.error; the rest as 'other'. */
const AUDIO_ERRORS = [
  'NotAllowedError',
  'NotFoundError',
  'NotReadableError',
  'AbortError',
  'OverconstrainedError',
  'SecurityError',
  'NotSupportedError'
] as const
interface AudioProblem {
  readonly name: (typeof AUDIO_ERRORS)[number] | 'other'
  readonly detail: string
}
function audioProblem(err: unknown): AudioProblem {
  const name = err instanceof Error ? err.name : ''
  const known = AUDIO_ERRORS.find((n) => n === name)
  return {
    name: known ?? 'other',
    detail: err instanceof Error ? `${err.name}: ${err.message}` : String(err)
  }
}

type Key = 'audioInput' | 'audioOutput' | 'ringerOutput'

export function AudioSettings({
  settings,
  change
}: {
  settings: Settings
  change: (patch: SettingsPatch) => Promise<void>
}): React.JSX.Element | null {
  const { t } = useTranslation()
  const engine = useMediaEngine()
  const [, rerender] = useReducer((n: number) => n + 1, 0)
  const [problem, setProblem] = useState<AudioProblem | null>(null)
  const ids = { input: useId(), output: useId(), ringer: useId() }
  useEffect(() => engine?.onChange(rerender), [engine])
  if (!engine) return null
  const { devices, input, output, ringer } = engine.choices
  const unnamed = devices.some((d) => d.label === '')

  const row = (
    key: Key,
    id: string,
    kind: AudioDevice['kind'],
    choice: AudioChoice,
    test?: 'output' | 'ringer'
  ) => (
    <div className="row">
      <label htmlFor={id}>{t(`settings.audio.${key}`)}</label>
      <select
        id={id}
        data-testid={`settings-${key}`}
        value={settings[key] ?? ''}
        onChange={(e) => void change({ [key]: e.target.value || null })}
      >
        <option value="">{t('settings.audio.automatic')}</option>
        {devices
          .filter((d) => d.kind === kind && d.label !== '' && d.deviceId !== 'default')
          .map((d) => (
            <option key={d.deviceId} value={d.label}>
              {d.label}
            </option>
          ))}
      </select>
      {test && (
        <button
          type="button"
          className="secondary"
          data-testid={`settings-test-${test}`}
          onClick={() => void engine.testTone(test).catch((err: unknown) => setProblem(audioProblem(err)))}
        >
          {t('settings.audio.test')}
        </button>
      )}
      <p className="muted">
        {choice.fallback === 'chosenMissing'
          ? t('settings.audio.missing')
          : choice.device
            ? t(choice.dongle ? 'settings.audio.usingDongle' : 'settings.audio.using', {
                device: choice.device.label || t('settings.audio.default')
              })
            : t('settings.audio.none')}
      </p>
    </div>
  )

  return (
    <fieldset className="audio-settings" data-testid="settings-audio">
      <legend>{t('settings.audio.title')}</legend>
      {unnamed && (
        <p>
          {t('settings.audio.unnamed')}{' '}
          <button
            type="button"
            className="secondary"
            onClick={() =>
              void engine.askForDeviceNames().catch((err: unknown) => setProblem(audioProblem(err)))
            }
          >
            {t('settings.audio.allow')}
          </button>
        </p>
      )}
      {row('audioInput', ids.input, 'audioinput', input)}
      {row('audioOutput', ids.output, 'audiooutput', output, 'output')}
      {row('ringerOutput', ids.ringer, 'audiooutput', ringer, 'ringer')}
      {problem && (
        <div className="field-error" role="alert">
          <p>{t(`settings.audio.error.${problem.name}`)}</p>
          <TechnicalDetails text={problem.detail} />
        </div>
      )}
    </fieldset>
  )
}
