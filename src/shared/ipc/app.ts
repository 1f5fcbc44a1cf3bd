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
    })
  },
  events: {
    'app.settingsChanged': event({ payload: settingsSchema, summary: 'Settings after any change.' }),
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
