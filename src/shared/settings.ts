/**
 * The person's settings: their schema, defaults and the shape of a change. Main stores them (electron-store in
 * Electron, conf in Node) and validates every change against this schema before anything is written.
 */
import { z } from 'zod'
import { LANGUAGE_CODES } from './i18n/languages'

export const THEMES = ['system', 'light', 'dark'] as const

export const settingsSchema = z.object({
  /** null: follow the operating system's language. */
  language: z.enum(LANGUAGE_CODES).nullable(),
  theme: z.enum(THEMES),
  startAtLogin: z.boolean(),
  /** Show the virtual dongle (demos, trying Dialtone without hardware). Never on unless chosen. */
  virtualDongle: z.boolean(),
  /** Where the account and provisioning service lives; the embedded default is on loopback. */
  serviceUrl: z.url({ protocol: /^https?$/, error: 'serviceUrl must be an http(s) URL' }),
  /** Which country's tones and ring cadence the phone plays (resources/tones/<plan>.json). */
  tonePlan: z.enum(['us', 'cept']),
  /**
   * The audio devices for calls, by the label the OS gives them (device ids change per permission grant).
   * null: automatic, the dongle's own when it is plugged in, else the computer's default.
   */
  audioInput: z.string().min(1).max(200).nullable(),
  audioOutput: z.string().min(1).max(200).nullable(),
  /** Where an incoming call rings on the computer (a separate device, e.g. loudspeakers); null: the default. */
  ringerOutput: z.string().min(1).max(200).nullable()
})
export type Settings = z.infer<typeof settingsSchema>

/** A change names only what it changes; unknown keys are an error, not silently dropped. */
export const settingsPatchSchema = settingsSchema
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: 'a settings change must name at least one setting' })
export type SettingsPatch = z.infer<typeof settingsPatchSchema>

export const DEFAULT_SERVICE_URL = 'http://127.0.0.1:4780'

export const DEFAULT_SETTINGS: Settings = {
  language: null,
  theme: 'system',
  startAtLogin: true,
  virtualDongle: false,
  serviceUrl: DEFAULT_SERVICE_URL,
  tonePlan: 'us',
  audioInput: null,
  audioOutput: null,
  ringerOutput: null
}
