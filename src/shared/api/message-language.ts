/**
 * The language the service writes to an account's people in (emails and SMS: codes, receipts, reminders,
 * invitations): one of the app's languages, on the wire as its code. The app sends its own language at sign-up
 * (a trial, a phone sign-up, a purchased dongle's new account), the person changes it in Profile; an app from
 * before this sends none at sign-up, and English is assumed. Anything else is refused ('not-allowed-value', or
 * 'required' when a change names none) and nothing is stored.
 */
import { z } from 'zod'
import { LANGUAGE_CODES } from '../i18n/languages'

export const messageLanguage = z.enum(LANGUAGE_CODES)

/** Sent with a request that creates an account or messages someone before there is one; English when absent. */
export const signupLanguage = { language: messageLanguage.optional() }

/** Profile: "Emails and texts in". */
export const messageLanguageRequest = z.object({ language: messageLanguage }).strict()
