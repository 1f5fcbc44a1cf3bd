/**
 * The app's areas and the Account page's parts, as plain lists apart from the app domain's schemas (./app.ts),
 * so code that must load before anything else (the renderer's first-paint script) can read them without zod.
 */

/** The areas of the app, in navigation order (the renderer's address: #/name). */
export const PAGES = ['device', 'phone', 'account', 'diagnostics', 'help', 'settings'] as const
export type PageName = (typeof PAGES)[number]
/** The parts of the Account page, in the order its tabs show them (#/account/<part>). */
export const ACCOUNT_SECTIONS = ['overview', 'billing', 'business', 'profile', 'security'] as const
export type AccountSection = (typeof ACCOUNT_SECTIONS)[number]
