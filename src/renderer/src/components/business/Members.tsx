/**
 * The people of a business account (issue 25 part 2), for its owner and administrators: each with their role
 * (and a line user's line), whether they joined yet, and Remove; and the invitation form (name, email, role, the
 * line for a line user). The invited person gets an email with a code to choose their password. An address
 * already on another account is refused in words that name no account.
 */
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { MEMBER_ROLES, type MemberRole } from '../../../../shared/api/business'
import { isolate } from '../../../../shared/i18n/bidi'
import { useAction, useDialtone, useQuery } from '../../bridge/dialtone-context'
import { logFailure } from '../../log'
import { Field, FormError, issueFor } from '../Field'
import { usePhoneNumbers } from '../../phone-numbers'
import { Said, useSaid } from '../Said'

export function Members(): React.JSX.Element {
  const { t } = useTranslation()
  const phone = usePhoneNumbers()
  const client = useDialtone()
  const members = useQuery('business.members')
  const lines = useQuery('account.lines')
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<MemberRole>('line')
  const [lineId, setLineId] = useState('')
  const [sentTo, setSentTo] = useState<string | null>(null)
  const invite = useAction(() =>
    client.invoke('business.invite', {
      name,
      email,
      role,
      ...(role === 'line' && lineId ? { lineId } : {})
    })
  )
  const remove = useAction((memberId: string) => client.invoke('business.removeMember', { memberId }))
  // A person who has not joined (their invitation expired, or went astray): the invitation again, a new code.
  const resend = useAction((memberId: string) => client.invoke('business.resendInvitation', { memberId }))
  // What resending, a role change or a removal just did: one region for the list.
  const { said, say } = useSaid()
  const change = useAction((memberId: string, to: MemberRole, line: string | undefined) =>
    client.invoke('business.changeMember', {
      memberId,
      role: to,
      ...(to === 'line' && line ? { lineId: line } : {})
    })
  )
  const lineName = (id: string | null): string => {
    const l = lines.data?.lines.find((x) => x.id === id)
    return l ? (l.label ?? isolate(l.number ? phone(l.number) : '')) : ''
  }
  const roleLine = lines.data?.lines ?? []
  // Each person's buttons are described by their name and address, so a list of buttons tells them apart.
  const ids = useId()
  return (
    <section className="card" aria-labelledby="business-members-title" data-testid="business-members">
      <h2 id="business-members-title">{t('business.members.title')}</h2>
      <p className="muted">{t('business.members.intro')}</p>
      <FormError error={members.error} testId="business-members-error" />
      <ul className="plain-list">
        {members.data?.members.map((m) => (
          <li key={m.id} data-testid="business-member">
            <span id={`${ids}-${m.id}`}>
              <span>{m.name}</span> <span>{isolate(m.email)}</span>
            </span>{' '}
            <span className="muted">
              {[
                t(`business.role.${m.role}`),
                m.lineId ? lineName(m.lineId) : null,
                m.joined ? t('business.members.joined') : t('business.members.pending')
              ]
                .filter(Boolean)
                .join(' · ')}
            </span>{' '}
            <select
              aria-label={t('business.members.changeRole', { name: m.name })}
              data-testid="business-member-role"
              value={m.role}
              aria-disabled={change.pending}
              onChange={(e) => {
                const to = e.target.value as MemberRole
                void change
                  // A line user keeps their line, or gets the account's first one.
                  .run(m.id, to, m.lineId ?? roleLine[0]?.id)
                  .then((r) => {
                    if (!r) return
                    members.update(() => r)
                    say(t('business.members.roleSaid', { name: m.name, role: t(`business.role.${to}`) }))
                  })
                  .catch(logFailure('Members: change.run'))
              }}
            >
              {MEMBER_ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`business.role.${r}`)}
                </option>
              ))}
            </select>{' '}
            {!m.joined && (
              <>
                <button
                  type="button"
                  className="secondary"
                  data-testid="business-member-resend"
                  aria-describedby={`${ids}-${m.id}`}
                  aria-disabled={resend.pending}
                  onClick={() =>
                    void resend
                      .run(m.id)
                      .then((r) => {
                        if (!r) return
                        members.update(() => r)
                        say(t('business.members.resent', { email: isolate(m.email) }))
                      })
                      .catch(logFailure('Members: resend.run'))
                  }
                >
                  {t('business.members.resend')}
                </button>{' '}
              </>
            )}
            <button
              type="button"
              className="secondary"
              data-testid="business-member-remove"
              aria-describedby={`${ids}-${m.id}`}
              aria-disabled={remove.pending}
              onClick={() =>
                void remove
                  .run(m.id)
                  .then((r) => {
                    if (!r) return
                    members.update(() => r)
                    say(t('business.members.removedSaid', { name: m.name }))
                  })
                  .catch(logFailure('Members: remove.run'))
              }
            >
              {t('business.members.remove')}
            </button>
          </li>
        ))}
      </ul>
      {members.data?.members.length === 0 && <p className="muted">{t('business.members.none')}</p>}
      <Said said={said} testId="business-member-said" />
      <FormError error={remove.error ?? change.error ?? resend.error} testId="business-remove-error" />
      <form
        noValidate
        className="form"
        aria-labelledby="business-invite-title"
        onSubmit={(e) => {
          e.preventDefault()
          setSentTo(null)
          void invite
            .run()
            .then((r) => {
              if (!r) return
              members.update(() => r)
              setSentTo(email)
              setName('')
              setEmail('')
            })
            .catch(logFailure('Members: invite.run'))
        }}
      >
        <h3 id="business-invite-title">{t('business.invite.title')}</h3>
        <Field
          label={t('business.invite.name')}
          value={name}
          onChange={setName}
          testId="business-invite-name"
          autoComplete="off"
          error={issueFor(invite.error, 'name')}
        />
        <Field
          label={t('business.invite.email')}
          type="email"
          value={email}
          onChange={setEmail}
          testId="business-invite-email"
          autoComplete="off"
          dir="ltr"
          error={issueFor(invite.error, 'email')}
        />
        <div className="field">
          <label htmlFor="business-invite-role">{t('business.invite.role')}</label>
          <select
            id="business-invite-role"
            data-testid="business-invite-role"
            value={role}
            onChange={(e) => setRole(e.target.value as MemberRole)}
          >
            {MEMBER_ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`business.role.${r}`)}
              </option>
            ))}
          </select>
          <p className="muted hint">{t(`business.roleHint.${role}`)}</p>
        </div>
        {role === 'line' && (
          <div className="field">
            <label htmlFor="business-invite-line">{t('business.invite.line')}</label>
            <select
              id="business-invite-line"
              data-testid="business-invite-line"
              value={lineId}
              aria-invalid={issueFor(invite.error, 'lineId') ? true : undefined}
              onChange={(e) => setLineId(e.target.value)}
            >
              <option value="">{t('business.invite.chooseLine')}</option>
              {roleLine.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.label ?? isolate(l.number ? phone(l.number) : l.id)}
                </option>
              ))}
            </select>
          </div>
        )}
        <button type="submit" aria-disabled={invite.pending} data-testid="business-invite-submit">
          {t('business.invite.submit')}
        </button>
      </form>
      <FormError error={invite.error} testId="business-invite-error" />
      {sentTo && (
        <p className="banner" role="status" data-testid="business-invite-sent">
          {t('business.invite.sent', { email: isolate(sentTo) })}
        </p>
      )}
    </section>
  )
}
