/**
 * The account domain: the service behind the line, as the renderer sees it. Most commands pass one service
 * route through (same input, same answer: `pass`), validated here on the way in and in the client on the way
 * back. The session token never crosses into the renderer: signing in, activating and signing up answer with
 * the session's state, and main keeps the token in its SecretVault. SIP credentials stay in main (the phone).
 */
import { z } from 'zod'
import { id, instant } from '../api/common'
import { activationResult } from '../api/devices'
import { phoneSignupVerify, signInRequest } from '../api/identity'
import { API_ROUTES, type RouteName } from '../api/routes'
import { command, domain, event, noArgs } from './define'
import { pass } from './passthrough'

export const serviceStatusSchema = z.object({
  url: z.string(),
  reachable: z.boolean(),
  version: z.string().nullable(),
  /** Why it could not be reached, as a reason code the app words (null when reachable). */
  reason: z.enum(['unreachable', 'timeout', 'bad-response']).nullable(),
  /** What went wrong reaching it, in English, for logs and the diagnostics report; never shown as is. */
  error: z.string().nullable()
})
export type ServiceStatus = z.infer<typeof serviceStatusSchema>

export const sessionStateSchema = z.object({
  signedIn: z.boolean(),
  accountId: id.nullable(),
  expiresAt: instant.nullable(),
  /** The service this session belongs to; changing the service URL signs out. */
  serviceUrl: z.string(),
  /** How the token is kept between runs, so the UI can say whether the person stays signed in. */
  protection: z.enum(['os-encrypted', 'owner-only-file', 'memory'])
})
export type SessionState = z.infer<typeof sessionStateSchema>

export const activationOutcomeSchema = activationResult
  .omit({ session: true })
  .extend({ signedIn: z.boolean() })
export type ActivationOutcome = z.infer<typeof activationOutcomeSchema>

/**
 * Routes after which a line may have changed (in service now, another number, paid longer, gone), or what the
 * phone enforces on it (the blocked numbers): those the route table marks `changesLines`.
 */
export const LINE_CHANGING_ROUTES: readonly RouteName[] = (Object.keys(API_ROUTES) as RouteName[]).filter(
  (name) => API_ROUTES[name].changesLines === true
)

export const accountDomain = domain({
  name: 'account',
  commands: {
    'account.serviceStatus': command({
      request: noArgs,
      response: serviceStatusSchema,
      summary: 'Whether the account service answers at the configured URL, and its version.'
    }),
    'account.session': command({
      request: noArgs,
      response: sessionStateSchema,
      summary: 'Whether this app is signed in, to which account and until when.'
    }),
    'account.signIn': command({
      request: signInRequest.omit({ client: true }),
      response: sessionStateSchema,
      summary: 'Signs in with an email address or phone number and the password; main keeps the session.'
    }),
    'account.signOut': command({
      request: noArgs,
      response: sessionStateSchema,
      summary: 'Ends this session at the service and forgets it here (also when the service is unreachable).'
    }),
    'account.finishPhoneSignup': command({
      request: phoneSignupVerify.omit({ client: true }),
      response: sessionStateSchema,
      summary: 'Completes sign-up by phone with the SMS code and signs in.'
    }),
    'account.activateTrial': command({
      request: API_ROUTES.activateTrial.input.omit({ client: true }), // main names the app
      response: activationOutcomeSchema,
      summary: 'Activates a trial with the emailed code; signs in to the new account.'
    }),
    'account.activatePurchased': command({
      request: API_ROUTES.activatePurchased.input.omit({ attestation: true, client: true }),
      response: activationOutcomeSchema,
      summary:
        'Activates a purchased dongle on a new account or the signed-in one (main has the plugged-in dongle attest).'
    }),
    'account.startTrial': command({
      request: API_ROUTES.startTrial.input.omit({ attestation: true }),
      response: API_ROUTES.startTrial.output,
      summary:
        'Starts a trial: main has the plugged-in dongle attest, then the activation code goes to the email given.'
    }),
    'account.requestTransfer': command({
      request: API_ROUTES.requestTransfer.input.omit({ attestation: true }),
      response: API_ROUTES.requestTransfer.output,
      summary: 'Asks the current owner to hand a dongle over (main has the plugged-in dongle attest first).'
    }),
    'account.legal': pass('legal', 'The versions of the terms and the 911 disclosure people accept today.'),
    'account.terms': pass(
      'terms',
      'The terms of service in full, in a language (English, said so, when there is no translation yet).'
    ),
    'account.e911Disclosure': pass(
      'e911Disclosure',
      'The 911 disclosure in full, in a language (English, said so, when there is no translation yet).'
    ),
    'account.forgotPassword': pass(
      'forgotPassword',
      'Sends a reset link if the account exists (same answer either way).'
    ),
    'account.resetPassword': pass('resetPassword', 'Sets a new password with the emailed reset token.'),
    'account.changePassword': pass(
      'changePassword',
      'Changes the password (signs out other sessions by default).'
    ),
    'account.sessions': pass('sessions', 'The account’s sessions, this one marked.'),
    'account.revokeSession': pass('revokeSession', 'Ends another session of the account.'),
    'account.startPhoneSignup': pass('startPhoneSignup', 'Sends a sign-up code by SMS to a phone number.'),
    'account.profile': pass('profile', 'The account: type, contact, emails, phones, notification settings.'),
    'account.updateContact': pass('updateContact', 'Changes contact details; answers with the profile.'),
    'account.updateTimeZone': pass(
      'updateTimeZone',
      'Moves the account’s business dates to another time zone.'
    ),
    'account.updateMessageLanguage': pass(
      'updateMessageLanguage',
      'Changes the language of the emails and texts the service sends the account’s people.'
    ),
    'account.updateNotifications': pass('updateNotifications', 'Changes notification settings.'),
    'account.addEmail': pass('addEmail', 'Adds a secondary email and sends it a confirmation code.'),
    'account.resendEmailCode': pass('resendEmailCode', 'Sends a fresh confirmation code to an email.'),
    'account.verifyEmail': pass('verifyEmail', 'Confirms an email with its code.'),
    'account.setPreferredEmail': pass('setPreferredEmail', 'Makes a confirmed email the one notices go to.'),
    'account.removeEmail': pass('removeEmail', 'Removes a secondary email (the original stays).'),
    'account.lookupDevice': pass(
      'lookupDevice',
      'Whether a dongle is registered, to you, and can still start a trial.'
    ),
    'account.resendTrialCode': pass(
      'resendTrialCode',
      'Sends a new activation code for a started trial (a locked or lost code is replaced).'
    ),
    'account.areaCodeAvailability': pass(
      'areaCodeAvailability',
      'Whether an area code has free numbers, and the nearest area codes that do when it has none.'
    ),
    'account.releaseDevice': pass('releaseDevice', 'Releases a dongle (password required); its line closes.'),
    'account.transfers': pass('transfers', 'Open and past transfers of second-hand dongles.'),
    'account.sendTransferCode': pass(
      'sendTransferCode',
      'Emails the owner a waiting request’s approval code (a new one; the one sent before stops working).'
    ),
    'account.approveTransfer': pass(
      'approveTransfer',
      'Approves a handover with the code the owner received.'
    ),
    'account.availableNumbers': pass('availableNumbers', 'Free numbers in an area code.'),
    'account.lines': pass('lines', 'The account’s lines, each with what keeps it from service.'),
    'account.setLineLabel': pass('setLineLabel', 'Names a line (“Front desk”); an empty name clears it.'),
    'account.setE911': pass('setE911', 'Registers the line’s 911 address (validated against its number).'),
    'account.e911History': pass('e911History', 'The line’s current and past 911 addresses.'),
    'account.changeNumber': pass(
      'changeNumber',
      'Gives the line another number (by area code or a chosen one).'
    ),
    'account.numberHistory': pass('numberHistory', 'The numbers the line has had.'),
    'account.exportData': pass(
      'exportAccountData',
      'Everything the service holds about the account, as one JSON document the person saves.'
    ),
    'account.closure': pass('accountClosure', 'Whether the account is closing, when, and what closing does.'),
    'account.closeAccount': pass(
      'closeAccount',
      'Schedules the account’s closure (password required); signing in and keeping it undoes it until then.'
    ),
    'account.keepAccount': pass('keepAccount', 'Cancels the account’s scheduled closure.')
  },
  events: {
    'account.sessionChanged': event({
      payload: sessionStateSchema,
      summary: 'Signed in or out, here or because the service ended the session.'
    }),
    'account.reminder': event({
      payload: z.object({
        kind: z.enum(['service-ending', 'card-expiring']),
        /** Says which reminder this is; the same key is never given twice. */
        key: z.string(),
        /** The line's number, or the card's last four digits. */
        subject: z.string(),
        /** When the service ends or the card expires. */
        date: instant
      }),
      summary: 'Main reminds of a line whose service ends soon without auto-renew, or a card about to expire.'
    }),
    'account.linesChanged': event({
      payload: z.object({ after: z.string() }),
      summary: 'A command may have changed the account’s lines (the phone and the setup look again).'
    })
  }
})
