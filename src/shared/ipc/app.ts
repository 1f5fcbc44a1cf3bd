/** The app domain: who and where the app is, and the person's settings. */
import { z } from 'zod'
import { settingsPatchSchema, settingsSchema } from '../settings'
import { ACCOUNT_SECTIONS, PAGES } from './app-pages'
import { command, domain, event, noArgs } from './define'

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  /** Which host runs the brain: the Electron main process, or the web host in plain Node. */
  host: z.enum(['electron', 'web']),
  platform: z.enum(['linux', 'win32', 'darwin', 'other']),
  arch: z.string(),
  dataDir: z.string(),
  nodeVersion: z.string(),
  electronVersion: z.string().nullable(),
  /**
   * The dev stack's mailbox page, where the codes the service would have emailed or texted are (development only:
   * set by `npm start`, never in a packaged app); screens that say "we sent a code" point to it.
   */
  devMailboxUrl: z.string().optional()
})
export type AppInfo = z.infer<typeof appInfoSchema>

export { ACCOUNT_SECTIONS, PAGES, type AccountSection, type PageName } from './app-pages'

/**
 * The app's own updates as Settings shows them (src/main/setup/app-updates.ts). `unavailable`: this build has no
 * updater (a development build, the web host); an installed app always has one. `idle`: no newer version as of
 * `checkedAt` (null: not looked yet). `failed`: the last look at `at` did not get an answer. `ready`: downloaded
 * and verified, installed at the next start or by `app.update.install` now.
 */
export const appUpdateSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('unavailable') }),
  z.object({ status: z.literal('idle'), checkedAt: z.string().nullable() }),
  z.object({ status: z.literal('checking') }),
  z.object({ status: z.literal('downloading'), version: z.string(), percent: z.number().min(0).max(100) }),
  z.object({ status: z.literal('ready'), version: z.string() }),
  z.object({ status: z.literal('failed'), at: z.string() })
])
export type AppUpdateState = z.infer<typeof appUpdateSchema>

export const appDomain = domain({
  name: 'app',
  commands: {
    'app.info': command({
      request: noArgs,
      response: appInfoSchema,
      summary: 'Version, platform, host and data directory.'
    }),
    'app.settings.get': command({
      request: noArgs,
      response: settingsSchema,
      summary: 'The current settings.'
    }),
    'app.settings.set': command({
      request: settingsPatchSchema,
      response: settingsSchema,
      summary: 'Change some settings; an invalid change is refused whole and changes nothing.'
    }),
    'app.update.state': command({
      request: noArgs,
      response: appUpdateSchema,
      summary: 'What the app’s own updater is doing.'
    }),
    'app.update.check': command({
      request: noArgs,
      response: appUpdateSchema,
      summary:
        'Look for a newer version now (a download follows by itself); the state as it stands after asking.'
    }),
    'app.update.install': command({
      request: noArgs,
      response: z.null(),
      summary:
        'Restart into the downloaded update. Refused with update-not-ready before one is downloaded, and with ' +
        'call-in-progress during a call.'
    })
  },
  events: {
    'app.settingsChanged': event({ payload: settingsSchema, summary: 'Settings after any change.' }),
    'app.updateChanged': event({ payload: appUpdateSchema, summary: 'The app’s updater moved on.' }),
    'app.navigate': event({
      payload: z.object({
        page: z.enum(PAGES),
        /** The Account page's part to open (a card reminder opens Billing, where cards are replaced). */
        section: z.enum(ACCOUNT_SECTIONS).optional(),
        /** A number to put in the dialpad (a tel: or sip: link was opened). */
        dial: z
          .string()
          .regex(/^\+?[\d*#]{1,24}$/)
          .nullable()
      }),
      summary: 'Main asks the window to show a page: a clicked notification, a tel: or sip: link.'
    })
  }
})
