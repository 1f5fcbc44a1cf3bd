/**
 * The words of every message the service sends, in one place. Plain text: these are notices and codes, and
 * plain text is what reaches every mail client and SMS gateway intact. Codes and links appear only here and in
 * the outbox row (which drops its body once delivered), never in logs.
 */
import type { MemberRole } from '../../shared/api/business'

export interface Message {
  readonly subject: string
  readonly body: string
}

const sign = '\n\n— Dialtone'

/** What each business role may do, in an invitation's words (src/shared/api/access.ts is the rule). */
const ROLE_WORDS: Record<MemberRole, string> = {
  administrator: 'an administrator (lines, services, renewals, people and billing)',
  billing: 'billing (balance, payments, invoices and documents)',
  line: 'the user of one line'
}

/**
 * Both invitations to a business account (an operator's to the contact of the account it opened, an
 * administrator's to a person) send the person to one place: the app's join screen
 * (src/renderer/src/components/business/JoinBusiness.tsx, also at the app's address #/account/join), which takes
 * the address, the code and a new password and signs them in. The quoted words are the app's (en.json
 * account.title, account.signIn, business.join.open); a test keeps them equal. The subject is the one the join
 * screen's hint names. Only who to ask when the code has expired differs.
 */
const invitation = (company: string, opening: string, token: string, ifExpired: string): Message => ({
  subject: `You are invited to ${company} on Dialtone`,
  body:
    `${opening}\n\n` +
    `To join: in Dialtone, open "Account" and choose "I was invited to a business account" (below "Sign in"; ` +
    `the app's address for it is #/account/join). Enter this email address, paste this code:\n\n    ${token}\n\n` +
    `and choose your password; you are signed in straight after. The code works once, for 7 days; if it has ` +
    `expired, ${ifExpired}. If you did not expect this, ignore this message: nobody can sign in until the code ` +
    `is used.${sign}`
})

export const templates = {
  /** An operator opened a business or legal-entity account with this address as its contact. */
  accountInvitation: (company: string, token: string): Message =>
    invitation(
      company,
      `Dialtone opened an account for ${company}, with this address as its contact.`,
      token,
      // The contact has no administrator above them: support sends a new code (dialtone-ops accounts resend-code).
      'ask Dialtone support for a new one (in Dialtone, open "Help")'
    ),
  /** A business's owner or administrator invited this address as one of its people. */
  memberInvitation: (company: string, role: MemberRole, token: string): Message =>
    invitation(
      company,
      `${company} invited you to its Dialtone account as ${ROLE_WORDS[role]}.`,
      token,
      `ask ${company}'s administrator to invite you again`
    ),
  trialCode: (name: string, code: string, serial: string): Message => ({
    subject: `Your Dialtone activation code: ${code}`,
    body:
      `Hello ${name},\n\nYour activation code for the dongle ${serial} is:\n\n    ${code}\n\n` +
      `Enter it in Dialtone within 10 minutes. If you did not start a trial, ignore this message.${sign}`
  }),
  phoneCode: (code: string): Message => ({
    subject: 'Dialtone sign-up code',
    body: `Your Dialtone code is ${code}. It expires in 10 minutes.`
  }),
  /**
   * A code to paste, not a link: a desktop app has no address a mail client could open it at. The quoted words
   * are the app's own (en.json account.title, account.reset.open, account.signIn, account.reset.code); a unit test keeps them equal.
   */
  passwordReset: (token: string): Message => ({
    subject: 'Reset your Dialtone password',
    body:
      `Someone (we hope you) asked to reset the password of your Dialtone account.\n\n` +
      `In Dialtone, open "Account", choose "I have a reset code" (below "Sign in"), and paste this ` +
      `"Reset code":\n\n    ${token}\n\n` +
      `The code works once, for 30 minutes. If you did not ask, ignore this message: your password stays as it is.${sign}`
  }),
  passwordChanged: (): Message => ({
    subject: 'Your Dialtone password was changed',
    body:
      `The password of your Dialtone account was just changed, and your other sessions were signed out.\n\n` +
      `If this was not you, reset your password at once and contact support.${sign}`
  }),
  emailVerify: (code: string): Message => ({
    subject: `Confirm this email for Dialtone: ${code}`,
    body:
      `Enter this code in Dialtone (Account, under "Confirm this email") to confirm this address:\n\n` +
      `    ${code}\n\nIt expires in 10 minutes. Until the address is confirmed, it cannot be used to sign in ` +
      `or to reset the password. If you did not give this address to Dialtone, ignore this message.${sign}`
  }),
  /** To the owner of a confirmed address that someone else gave: what happened, and what to do if it was them. */
  emailInUse: (what: string, ifYou: string): Message => ({
    subject: 'Someone gave your email address to Dialtone',
    body:
      `${what}\n\nThis address already belongs to your Dialtone account, so it was not added anywhere else: ` +
      `nobody can sign in or reset a password with it but you, and nothing changed on your account.\n\n` +
      `If it was you, ${ifYou}${sign}`
  }),
  emailChanged: (what: string): Message => ({
    subject: 'The emails of your Dialtone account changed',
    body: `${what}\n\nIf this was not you, reset your password at once and contact support.${sign}`
  }),
  /** Its words match the app's "Dongle transfers" card (locale section "transfers"). */
  transferRequest: (serial: string, token: string): Message => ({
    subject: `Someone asked to take over your dongle ${serial}`,
    body:
      `A Dialtone user asked to register the dongle ${serial}, which is on your account, as theirs ` +
      `(for example because you sold or gave it away).\n\nTo approve, open Dialtone, sign in to this account, ` +
      `and under Account, "Dongle transfers", paste this code in "Approve a device transfer" within 7 days:\n\n` +
      `    ${token}\n\nApproving hands the dongle over at once: its line on your account closes, its number is ` +
      `released, the paid time left on the line ends and is not refunded or moved, and the cards saved for the ` +
      `line are removed. Your balance and call history stay with you.\n\nStill using this dongle? Do nothing: ` +
      `the request expires.${sign}`
  }),
  deviceLeft: (serial: string, how: string): Message => ({
    subject: `The dongle ${serial} left your Dialtone account`,
    body:
      `The dongle ${serial} is no longer on your account (${how}). Its line was closed, its number released, ` +
      `and the payment methods saved for it were removed. Your call history stays with you.${sign}`
  }),
  deviceTransferred: (serial: string): Message => ({
    subject: `The dongle ${serial} is now yours`,
    body:
      `The previous owner approved the transfer. The dongle ${serial} is on your account now. ` +
      `Register its 911 address in Dialtone before the line can go into service.${sign}`
  }),
  /** Support answered a request (issue 25); the reply itself, as plain text, and where to answer it. */
  supportReplied: (reference: string, reply: string): Message => ({
    subject: `Dialtone support answered your request ${reference}`,
    body:
      `Dialtone support answered your request ${reference}:\n\n${reply}\n\nTo answer or close the request, ` +
      `open Dialtone and go to Help. Please do not reply to this email.${sign}`
  })
}
