/**
 * Every message the service sends about identity, devices and support, in the reader's language: the words are
 * in the catalogs (./words.ts, ./locales), this module puts them together. Plain text: these are notices and codes,
 * and plain text is what reaches every mail client and SMS gateway intact. Codes and links appear only here and
 * in the outbox row (which drops its body once delivered), never in logs.
 */
import type { MemberRole } from '../../shared/api/business'
import type { LanguageCode } from '../../shared/i18n/languages'
import { type MailWords, codeLine, paragraphs, perLanguage } from './words'

export interface Message {
  readonly subject: string
  readonly body: string
}

/** Why someone else's request reached this confirmed address (templates(...).emailInUse). */
export type InUseCase = 'otherAccount' | 'phoneSignup' | 'support' | 'purchase'

/**
 * Which of an account's addresses a confirmation code is for (account_emails.role): the app takes each in its own
 * place (templates(...).emailVerify).
 */
export type EmailRole = 'original' | 'secondary'

/** What happened to the account's emails (templates(...).emailChanged). */
export type EmailChange = 'added' | 'confirmed' | 'removed' | 'preferred'

/**
 * A line's 911 address registered lately, as a recovery tells the owner (templates(...).accountRecovered): the line's
 * number, the address and the one it replaced (null for the line's first), each as one line of text.
 */
export interface RecentE911 {
  readonly line: string
  readonly address: string
  readonly since: string
  readonly previous: string | null
}

/** How a dongle left an account (templates(...).deviceLeft). */
export type DeviceLeaving = 'released' | 'approved' | 'moved'

/**
 * Both invitations to a business account (an operator's to the contact of the account it opened, an
 * administrator's to a person) send the person to one place: the app's join screen
 * (src/renderer/src/components/business/JoinBusiness.tsx, also at the app's address #/account/join), which takes
 * the address, the code and a new password and signs them in. The quoted words are the app's in the same language
 * (account.title, account.signIn, business.join.open); the subject is the one the join screen's hint names; a
 * test keeps both equal. Only who to ask when the code has expired differs.
 */
const invitation = (
  w: MailWords,
  company: string,
  opening: string,
  token: string,
  ifExpired: string
): Message => ({
  subject: w.t('invite.subject', { company }),
  body: paragraphs(w, opening, w.t('invite.join'), codeLine(token), w.t('invite.after', { ifExpired }))
})

function build(w: MailWords) {
  return {
    /** An operator opened a business or legal-entity account with this address as its contact. */
    accountInvitation: (company: string, token: string): Message =>
      invitation(
        w,
        company,
        w.t('invite.account', { company }),
        token,
        // The contact has no administrator above them: support sends a new code (dialtone-ops accounts resend-code).
        w.t('invite.expired.support')
      ),
    /** A business's owner or administrator invited this address as one of its people. */
    memberInvitation: (company: string, role: MemberRole, token: string): Message =>
      invitation(
        w,
        company,
        w.t(`invite.member.${role}`, { company }),
        token,
        w.t('invite.expired.member', { company })
      ),
    trialCode: (name: string, code: string, serial: string): Message => ({
      subject: w.t('trial.subject', { code }),
      body: paragraphs(w, w.t('trial.body', { name, serial }), codeLine(code), w.t('trial.after'))
    }),
    /** An SMS: no signature, short. */
    phoneCode: (code: string): Message => ({
      subject: w.t('phone.subject'),
      body: w.t('phone.body', { code })
    }),
    /** An SMS to a number that already has an account. */
    phoneTaken: (): Message => ({ subject: w.t('phone.taken.subject'), body: w.t('phone.taken.body') }),
    /**
     * A code to paste, not a link: a desktop app has no address a mail client could open it at. The quoted words
     * are the app's own (account.title, account.reset.open, account.signIn, account.reset.code); a test keeps them equal.
     */
    passwordReset: (token: string): Message => ({
      subject: w.t('reset.subject'),
      body: paragraphs(w, w.t('reset.body'), codeLine(token), w.t('reset.after'))
    }),
    /**
     * Support's recovery of a taken-over account (src/server/ops/accounts/security.ts): a reset code to the address
     * the owner proved, under the reset email's subject (the app's reset screen names the email by it).
     */
    accountRecovered: (
      token: string,
      removed: readonly string[],
      e911: { readonly days: number; readonly changed: readonly RecentE911[] }
    ): Message => ({
      subject: w.t('reset.subject'),
      body: paragraphs(
        w,
        w.t('recovered.body'),
        codeLine(token),
        ...(removed.length ? [w.t('recovered.removed', { addresses: removed.join(', ') })] : []),
        ...(e911.changed.length
          ? [
              w.t('recovered.e911', { days: e911.days }) +
                '\n' +
                e911.changed
                  .map((c) => {
                    const values = { line: c.line, address: c.address, date: w.date(c.since.slice(0, 10)) }
                    return `  - ${
                      c.previous === null
                        ? w.t('recovered.e911First', values)
                        : w.t('recovered.e911Line', { ...values, previous: c.previous })
                    }`
                  })
                  .join('\n')
            ]
          : []),
        w.t('recovered.after')
      )
    }),
    /**
     * The code of a proof of purchase support accepted (src/server/ops/registry-actions.ts): only its addressee can
     * activate the dongle with it. The quoted words are the app's (activate.modes.purchased, activate.proofCode).
     */
    proofAccepted: (serial: string, code: string, until: string): Message => ({
      subject: w.t('proof.subject', { serial }),
      body: paragraphs(
        w,
        w.t('proof.body', { serial }),
        codeLine(code),
        w.t('proof.after', { date: w.date(until) })
      )
    }),
    /** To an address support removed from an account at its owner's request. */
    emailRemovedBySupport: (address: string): Message => ({
      subject: w.t('emailsChanged.subject'),
      body: paragraphs(w, w.t('emailsChanged.removedBySupport', { address }))
    }),
    /** `othersSignedOut`: a reset signs every session out; a change only when the person asked it to. */
    passwordChanged: (othersSignedOut: boolean): Message => ({
      subject: w.t('passwordChanged.subject'),
      body: paragraphs(w, w.t(othersSignedOut ? 'passwordChanged.body' : 'passwordChanged.bodyKept'))
    }),
    /**
     * The code that confirms an address, and where the app takes it: the original's in the "Confirm this email"
     * card the Account page shows while it is unconfirmed (emails.confirm.title); a secondary's beside it in
     * Profile's "Email addresses" (account.sections.profile, emails.title, emails.code, emails.verify), since
     * that card is only ever the original's. A test keeps the quoted words the app's.
     */
    emailVerify: (code: string, role: EmailRole): Message => ({
      subject: w.t('verify.subject', { code }),
      body: paragraphs(
        w,
        w.t(role === 'secondary' ? 'verify.bodySecondary' : 'verify.body'),
        codeLine(code),
        w.t('verify.after')
      )
    }),
    /** To the owner of a confirmed address that someone else gave: what happened, and what to do if it was them. */
    emailInUse: (what: InUseCase, values: { phone?: string; serial?: string } = {}): Message => ({
      subject: w.t('inUse.subject'),
      body: paragraphs(
        w,
        w.t(`inUse.${what}`, values),
        w.t('inUse.body'),
        w.t('inUse.ifYou', { what: w.t(`inUse.${what}.ifYou`) })
      )
    }),
    emailChanged: (what: EmailChange, address: string): Message => ({
      subject: w.t('emailsChanged.subject'),
      body: paragraphs(w, w.t(`emailsChanged.${what}`, { address }), w.t('emailsChanged.notYou'))
    }),
    /** A trial started with the email of an existing account but another password: no code, only this. */
    trialOnExistingAccount: (serial: string): Message => ({
      subject: w.t('emailsChanged.subject'),
      body: paragraphs(w, w.t('emailsChanged.trialOnAccount', { serial }), w.t('emailsChanged.notYou'))
    }),
    /** Its words match the app's "Dongle transfers" card (locale section "transfers"). */
    transferRequest: (serial: string, token: string, reference: string, name: string): Message => ({
      subject: w.t('transfer.subject', { serial }),
      body: paragraphs(
        w,
        w.t('transfer.who', { reference, name }),
        w.t('transfer.body', { serial }),
        codeLine(token),
        w.t('transfer.after')
      )
    }),
    deviceLeft: (serial: string, how: DeviceLeaving): Message => ({
      subject: w.t('left.subject', { serial }),
      body: paragraphs(w, w.t(`left.${how}`, { serial }))
    }),
    deviceTransferred: (serial: string): Message => ({
      subject: w.t('transferred.subject', { serial }),
      body: paragraphs(w, w.t('transferred.body', { serial }))
    }),
    /** Support moved a dongle to this account (ops). */
    deviceMovedHere: (serial: string): Message => ({
      subject: w.t('movedHere.subject', { serial }),
      body: paragraphs(w, w.t('movedHere.body', { serial }))
    }),
    /** Support answered a request (issue 25); the reply itself, as plain text, and where to answer it. */
    supportReplied: (reference: string, reply: string): Message => ({
      subject: w.t('support.subject', { reference }),
      body: paragraphs(w, w.t('support.body', { reference }), reply, w.t('support.after'))
    }),
    /**
     * An account's closure was asked (src/server/identity/closure.ts), to every confirmed address: the date, and
     * how to undo it. The quoted words are the app's (account.title, privacy.keep.submit).
     */
    closureRequested: (date: string): Message => ({
      subject: w.t('closure.subject', { date: w.date(date) }),
      body: paragraphs(
        w,
        w.t('closure.body', { date: w.date(date) }),
        w.t('closure.undo'),
        w.t('closure.notYou')
      )
    }),
    closureCancelled: (): Message => ({
      subject: w.t('closure.keptSubject'),
      body: paragraphs(w, w.t('closure.kept'))
    }),
    /** The account was closed at the end of its grace period. */
    accountClosed: (): Message => ({
      subject: w.t('closed.subject'),
      body: paragraphs(w, w.t('closed.body'))
    }),
    /** The monthly invoice, its PDF attached. */
    invoice: (number: string): Message => ({
      subject: w.t('invoice.subject', { number }),
      body: paragraphs(w, w.t('invoice.body'))
    }),
    /** A signed statement an operator made for the account, its PDF attached (dates YYYY-MM-DD). */
    signedStatement: (from: string, to: string): Message => ({
      subject: w.t('document.subject'),
      body: paragraphs(w, w.t('document.body', { from: w.date(from), to: w.date(to) }))
    })
  }
}

export type Templates = ReturnType<typeof build>

/** The messages in a language (built once per language). */
export const templates: (language: LanguageCode) => Templates = perLanguage(build)
