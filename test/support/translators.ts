/**
 * A translator (i18next's `t`) for each of the app's languages, over the app's own locale files, for unit tests
 * that word something in every language. `asTheApp`: with the app's interpolation and its digits in the
 * language (Persian digits for Persian), as the renderer sets i18next up; without, plain interpolation.
 */
import i18next, { type TFunction } from 'i18next'
import { LANGUAGES, type LanguageCode } from '../../src/shared/i18n/languages'
import { INTERPOLATION, numbersInLanguage } from '../../src/renderer/src/i18n/interpolation'
import { RESOURCES } from '../../src/renderer/src/i18n/resources'

export async function translators(options: {
  readonly asTheApp: boolean
}): Promise<Record<LanguageCode, TFunction>> {
  const out: Partial<Record<LanguageCode, TFunction>> = {}
  for (const { code } of LANGUAGES) {
    const i = i18next.createInstance()
    if (options.asTheApp) i.use(numbersInLanguage)
    await i.init({
      resources: { [code]: { translation: RESOURCES[code] } },
      lng: code,
      interpolation: options.asTheApp ? INTERPOLATION : { escapeValue: false }
    })
    out[code] = i.t
  }
  return out as Record<LanguageCode, TFunction>
}
