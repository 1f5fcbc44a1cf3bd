/**
 * Settings: language, theme, start at login, call audio, the service address, and what this build is (and its
 * updates). Every change goes to main, which validates it; a refused change shows main's reason and changes
 * nothing: a refused service address under its field (the only field typed and sent), any other refused setting on
 * top of the card, so a refused theme never marks the address invalid.
 */
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { LANGUAGES, type LanguageCode } from '../../../shared/i18n/languages'
import { THEMES, type Settings, type SettingsPatch } from '../../../shared/settings'
import { asDialtoneError, useDialtone, useQuery } from '../bridge/dialtone-context'
import { useWords } from '../words'
import { RemedyLink } from '../components/Field'
import type { DialtoneError } from '../../../shared/ipc/errors'
import { AppUpdates } from '../components/AppUpdates'
import { AudioSettings } from '../components/AudioSettings'
import { logFailure } from '../log'

export function SettingsPage({ settings: stored }: { settings: Settings }): React.JSX.Element {
  const { t } = useTranslation()
  const words = useWords()
  const client = useDialtone()
  const info = useQuery('app.info')
  const [serviceUrl, setServiceUrl] = useState(stored.serviceUrl)
  // The refusal and which setting it refused, worded where it is drawn (a field's issue, or the refusal's sentence
  // with its way to act).
  // `n` counts refusals: the same words refused twice are a new alert, read again.
  const [refused, setRefused] = useState<
    { url: boolean; label: string | null; n: number; error: DialtoneError } | undefined
  >(undefined)
  const failure = refused?.error
  const issue = failure?.issues[0]
  const error = failure ? (issue ? words.issue(issue) : words.error(failure)) : null
  const urlError = refused?.url ? error : null
  const otherError = refused && !refused.url ? error : null
  const [saved, setSaved] = useState(false)
  // Shown at once while main decides; dropped when main answers (its event brings the stored value).
  const [pending, setPending] = useState<SettingsPatch>({})
  const settings: Settings = { ...stored, ...pending }
  const ids = { lang: useId(), url: useId(), urlError: useId(), login: useId() }

  const change = async (patch: SettingsPatch): Promise<void> => {
    setSaved(false)
    if (!('serviceUrl' in patch)) setPending((p) => ({ ...p, ...patch }))
    try {
      await client.invoke('app.settings.set', patch)
      setRefused(undefined)
      setSaved(true)
    } catch (err) {
      setRefused((r) => ({
        url: 'serviceUrl' in patch,
        label: settingLabel(patch, t),
        n: (r?.n ?? 0) + 1,
        error: asDialtoneError(err)
      }))
    } finally {
      setPending({})
    }
  }

  return (
    <section aria-labelledby="settings-title">
      <header className="page-head">
        <h1 id="settings-title">{t('settings.title')}</h1>
      </header>
      <div className="card form">
        {otherError && (
          // Which setting was refused, then why (WCAG 3.3.1): the banner is far from the control.
          <p key={refused?.n} className="banner error" role="alert" data-testid="settings-refused">
            {refused?.label
              ? t('settings.refusedSetting', { setting: refused.label, why: otherError })
              : otherError}
          </p>
        )}
        <RemedyLink error={otherError && !issue ? failure : undefined} testId="settings-refused-remedy" />
        <label htmlFor={ids.lang}>{t('settings.language')}</label>
        <select
          id={ids.lang}
          data-testid="settings-language"
          value={settings.language ?? ''}
          onChange={(e) =>
            void change({ language: (e.target.value || null) as LanguageCode | null }).catch(
              logFailure('SettingsPage: change')
            )
          }
        >
          <option value="">{t('settings.languageSystem')}</option>
          {LANGUAGES.map((l) => (
            <option key={l.code} value={l.code} lang={l.code}>
              {l.name}
            </option>
          ))}
        </select>

        <fieldset>
          <legend>{t('settings.theme')}</legend>
          {THEMES.map((theme) => (
            <label key={theme} className="inline">
              <input
                type="radio"
                name="theme"
                value={theme}
                data-testid={`settings-theme-${theme}`}
                checked={settings.theme === theme}
                onChange={() => void change({ theme }).catch(logFailure('SettingsPage: change'))}
              />
              {t(`settings.themes.${theme}`)}
            </label>
          ))}
        </fieldset>

        <label className="inline" htmlFor={ids.login}>
          <input
            id={ids.login}
            type="checkbox"
            data-testid="settings-login"
            checked={settings.startAtLogin}
            onChange={(e) =>
              void change({ startAtLogin: e.target.checked }).catch(logFailure('SettingsPage: change'))
            }
          />
          {t('settings.startAtLogin')}
        </label>

        <label className="inline">
          <input
            type="checkbox"
            data-testid="settings-virtual"
            checked={settings.virtualDongle}
            onChange={(e) =>
              void change({ virtualDongle: e.target.checked }).catch(logFailure('SettingsPage: change'))
            }
          />
          {t('settings.virtualDongle')}
        </label>

        <AudioSettings settings={settings} change={change} />

        <form
          noValidate
          className="row"
          onSubmit={(e) => {
            e.preventDefault()
            void change({ serviceUrl }).catch(logFailure('SettingsPage: change'))
          }}
        >
          <label htmlFor={ids.url}>{t('settings.serviceUrl')}</label>
          <input
            id={ids.url}
            dir="ltr"
            data-testid="settings-service-url"
            value={serviceUrl}
            aria-invalid={urlError !== null}
            aria-describedby={urlError ? ids.urlError : undefined}
            onChange={(e) => setServiceUrl(e.target.value)}
          />
          <button type="submit" data-testid="settings-save">
            {t('settings.save')}
          </button>
        </form>
        {urlError && (
          <p id={ids.urlError} className="field-error" role="alert" data-testid="settings-error">
            {urlError}
          </p>
        )}
        <RemedyLink error={urlError && !issue ? failure : undefined} testId="settings-error-remedy" />
        {saved && !error && (
          <p className="muted" role="status">
            {t('settings.saved')}
          </p>
        )}
      </div>

      {info.data && (
        <div className="card" data-testid="about">
          <h2>{t('settings.about')}</h2>
          <dl className="facts">
            <dt>{t('app.name')}</dt>
            <dd>{t('settings.version', { version: info.data.version })}</dd>
            <dt>{t('settings.host', { host: t(`settings.hosts.${info.data.host}`) })}</dt>
            <dd dir="ltr">
              {info.data.platform} {info.data.arch} · Node {info.data.nodeVersion}
              {info.data.electronVersion ? ` · Electron ${info.data.electronVersion}` : ''}
            </dd>
            <dt>{t('settings.dataDir')}</dt>
            <dd dir="ltr" data-testid="about-datadir">
              {info.data.dataDir}
            </dd>
          </dl>
          <AppUpdates />
        </div>
      )}
    </section>
  )
}

/** The name of the setting a change was for, as its control is labelled; null for one this page does not name. */
function settingLabel(patch: SettingsPatch, t: (key: string) => string): string | null {
  if ('language' in patch) return t('settings.language')
  if ('theme' in patch) return t('settings.theme')
  if ('startAtLogin' in patch) return t('settings.startAtLogin')
  if ('virtualDongle' in patch) return t('settings.virtualDongle')
  for (const key of ['audioInput', 'audioOutput', 'ringerOutput'] as const)
    if (key in patch) return t(`settings.audio.${key}`)
  return null
}
