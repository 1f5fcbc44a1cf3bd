/**
 * Business accounts on SQLite and PostgreSQL (issue 25 part 2), through the real HTTP service: an administrator
 * invites an administrator, a billing person and a line user by email; each chooses their password with the
 * invitation's code and signs in. Authorization, the heart of it: a line user sees and uses only their line (not
 * the other line, not another business's, not money, not calls); billing sees money but not calls nor a line's
 * phone data; every new route is tried by each role and by another business on this one's data (refused, and
 * refusals are audited). An invitation to an address already on another account gets one clear answer that names
 * no account. A document request is fulfilled once. (business-invoices.test.ts has the invoices.)
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { fulfilDocument } from '../../../src/server/business/documents'
import { issueInvoice } from '../../../src/server/business/invoices'
import { newId } from '../../../src/server/secrets'
import { CARDS, key } from '../../support/billing-flows'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { type TrialLine, addRetailLine, latestSecret, mailbox, trialLine } from '../../support/service-flows'

type Err = { error?: { code: string; reason?: string } }
const PASSWORD = 'correct horse battery staple 42'

describe.each(BACKENDS)('business accounts on %s', (backend) => {
  let svc: TestService
  let acme: TrialLine
  let other: TrialLine
  let person: TrialLine
  let secondLine = ''
  const token: Record<'admin' | 'billing' | 'line', string> = { admin: '', billing: '', line: '' }
  const memberId: Record<'admin' | 'billing' | 'line', string> = { admin: '', billing: '', line: '' }

  const invite = (by: string, body: Record<string, unknown>) =>
    svc.api<{ members: { id: string; email: string; joined: boolean }[] } & Err>(
      'POST',
      '/v1/business/members',
      body,
      by
    )

  /** The invited person chooses a password with the code in the email, then signs in. */
  async function join(email: string): Promise<string> {
    const code = await latestSecret(svc, email, 'member-invitation')
    const reset = await svc.api('POST', '/v1/auth/password/reset', { token: code, password: PASSWORD })
    expect(reset.status, JSON.stringify(reset.body)).toBe(200)
    const s = await svc.api<{ token: string }>('POST', '/v1/auth/sign-in', {
      identifier: email,
      password: PASSWORD
    })
    expect(s.status, JSON.stringify(s.body)).toBe(200)
    return s.body.token
  }

  beforeAll(async () => {
    svc = await startTestService(backend)
    acme = await trialLine(svc, { accountType: 'business', name: 'Ada Owner' })
    secondLine = (await addRetailLine(svc, acme.token)).lineId
    other = await trialLine(svc, { accountType: 'business', name: 'Bob Other' })
    person = await trialLine(svc)
    const people = [
      ['admin', 'admin@acme.test', { role: 'administrator' }],
      ['billing', 'billing@acme.test', { role: 'billing' }],
      ['line', 'desk@acme.test', { role: 'line', lineId: acme.lineId }]
    ] as const
    for (const [key, email, role] of people) {
      const r = await invite(acme.token, { email, name: `The ${key}`, ...role })
      expect(r.status, JSON.stringify(r.body)).toBe(201)
      memberId[key] = r.body.members.find((m) => m.email === email)?.id ?? ''
      token[key] = await join(email)
    }
  }, 120_000)

  afterAll(async () => {
    await svc?.close()
  })

  const get = <T = unknown>(path: string, t: string) => svc.api<T & Err>('GET', path, undefined, t)

  it('a line user sees and uses only their line: not the other line, not money, not calls, not the people', async () => {
    const lines = await get<{ lines: { id: string }[] }>('/v1/lines', token.line)
    expect(lines.status).toBe(200)
    expect(lines.body.lines.map((l) => l.id)).toEqual([acme.lineId])
    expect((await get('/v1/lines/' + acme.lineId, token.line)).status).toBe(200)
    expect((await get(`/v1/lines/${acme.lineId}/sip`, token.line)).status).toBe(200)
    // The type is the business's, not the person's own sign-in's (a company's people ask in writing).
    expect((await get('/v1/business/me', token.line)).body).toMatchObject({
      role: 'line',
      accountType: 'business',
      lineId: acme.lineId
    })
    // Another line of the business, another business's line and a line that does not exist: one answer.
    for (const lineId of [secondLine, other.lineId, newId('lin')]) {
      for (const path of [
        `/v1/lines/${lineId}`,
        `/v1/lines/${lineId}/sip`,
        `/v1/lines/${lineId}/subscription`
      ]) {
        const r = await get(path, token.line)
        expect([r.status, r.body.error?.reason], path).toEqual([403, 'not-your-line'])
      }
    }
    for (const path of [
      '/v1/balance',
      '/v1/payment-methods',
      '/v1/business/invoices',
      '/v1/business/documents',
      '/v1/business/members',
      '/v1/usage/calls?from=2026-01-01&to=2026-01-02',
      '/v1/transfers'
    ]) {
      const r = await get(path, token.line)
      expect([r.status, r.body.error?.reason], path).toEqual([403, 'role-refused'])
    }
    const renew = await svc.api<Err>(
      'PUT',
      `/v1/lines/${acme.lineId}/auto-renew`,
      { enabled: false },
      token.line
    )
    expect(renew.status).toBe(403)
    // Their profile is their own sign-in's, never the business's.
    const me = await get<{ id: string; contact: { name: string } }>('/v1/account', token.line)
    expect(me.body.id).not.toBe(acme.accountId)
    expect(me.body.contact.name).toBe('The line')
  })

  it('a line user hears only of changes to their own line (the line-changes poll)', async () => {
    const versionFor = async (t: string, since?: string) => {
      const res = await fetch(`${svc.base}/v1/lines/changes${since ? `?since=${since}` : ''}`, {
        headers: { authorization: `Bearer ${t}` }
      })
      expect(res.status).toBe(200)
      return ((await res.json()) as { version: string }).version
    }
    const lineUser = await versionFor(token.line)
    const admin = await versionFor(token.admin)
    expect(lineUser).not.toBe(admin)
    const held = versionFor(token.line, lineUser)
    // The business's other line changes (it wakes the account's polls): the administrator's version moves, the
    // line user's poll stays held.
    const label = await svc.api('PUT', `/v1/lines/${secondLine}/label`, { label: 'Warehouse' }, token.admin)
    expect(label.status, JSON.stringify(label.body)).toBe(200)
    expect(await versionFor(token.admin, admin)).not.toBe(admin)
    const pending = await Promise.race([
      held.then(() => false),
      new Promise((r) => setTimeout(() => r(true), 800))
    ])
    expect(pending).toBe(true)
    // Their own line's label: that one they hear of, at once.
    const t0 = Date.now()
    const own = await svc.api('PUT', `/v1/lines/${acme.lineId}/label`, { label: 'Front desk' }, token.line)
    expect(own.status, JSON.stringify(own.body)).toBe(200)
    expect(await held).not.toBe(lineUser)
    expect(Date.now() - t0).toBeLessThan(10_000)
  })

  it('one person cannot take the business’s places for line-change polls, however many sessions they open', async () => {
    const poll = (t: string, since?: string) =>
      fetch(`${svc.base}/v1/lines/changes${since ? `?since=${since}` : ''}`, {
        headers: { authorization: `Bearer ${t}` }
      })
    const since = ((await (await poll(token.line)).json()) as { version: string }).version
    // Twelve sign-ins of the line user, two polls each: more than one person's share (16) of the account's 64.
    const sessions: string[] = []
    for (let i = 0; i < 12; i++) {
      const s = await svc.api<{ token: string }>('POST', '/v1/auth/sign-in', {
        identifier: 'desk@acme.test',
        password: PASSWORD
      })
      expect(s.status, JSON.stringify(s.body)).toBe(200)
      sessions.push(s.body.token)
    }
    const polls = sessions.flatMap((t) => [poll(t, since), poll(t, since)])
    // Held polls answer only when the line changes; the refused ones at once. Counted by what has answered, not by a
    // race against a timer (a loaded machine answered a refusal after the timer, reading it as held).
    const answered: number[] = []
    for (const p of polls) p.then((r) => answered.push(r.status)).catch(() => undefined)
    await vi.waitFor(() => expect(answered.length).toBeGreaterThanOrEqual(8), { timeout: 20_000 })
    await new Promise((r) => setTimeout(r, 500))
    expect(answered).toEqual(Array.from({ length: 8 }, () => 503))
    // The others of the business still have their places.
    const admin = ((await (await poll(token.admin)).json()) as { version: string }).version
    const adminHeld = poll(token.admin, admin)
    const pending = await Promise.race([
      adminHeld.then(() => false),
      new Promise((r) => setTimeout(() => r(true), 500))
    ])
    expect(pending).toBe(true)
    // A change of the line ends them all.
    const own = await svc.api('PUT', `/v1/lines/${acme.lineId}/label`, { label: 'Desk 2' }, token.admin)
    expect(own.status, JSON.stringify(own.body)).toBe(200)
    expect(
      (await Promise.all([...polls, adminHeld])).every((r) => r.status === 200 || r.status === 503)
    ).toBe(true)
  })

  it('bounds invitations per business: no asking, address by address, which ones have a Dialtone account', async () => {
    // Each answer says whether the address is taken ("email-unavailable"), and each sends an email: 30 an hour.
    const prober = await trialLine(svc, { accountType: 'business', name: 'Pat Prober' })
    const answers: number[] = []
    for (let i = 0; i < 31; i++) {
      const r = await invite(prober.token, {
        email: `probe${i}@people.test`,
        name: 'Probe',
        role: 'billing'
      })
      answers.push(r.status)
    }
    expect(answers.slice(0, 30).every((s) => s === 201)).toBe(true)
    expect(answers[30]).toBe(429)
  })

  it('documents: only a business asks, a few a day; a person’s account is refused', async () => {
    const ask = (t: string) =>
      svc.api<Err>(
        'POST',
        '/v1/business/documents',
        { kind: 'signed-statement', from: '2026-11-01', to: '2026-11-30', note: 'x'.repeat(500) },
        t
      )
    const refused = await ask(person.token)
    expect([refused.status, refused.body.error?.reason]).toEqual([403, 'not-business'])
    const asker = await trialLine(svc, { accountType: 'business', name: 'Dee Documents' })
    const answers: number[] = []
    for (let i = 0; i < 11; i++) answers.push((await ask(asker.token)).status)
    expect(answers).toEqual([...Array<number>(10).fill(201), 429])
    const kept = await svc.service.ctx.db
      .selectFrom('document_requests')
      .select('id')
      .where('account_id', 'in', [asker.accountId, person.accountId])
      .execute()
    expect(kept).toHaveLength(10)
  })

  it('the administrator sends a person who has not joined their invitation again, with a new code', async () => {
    // What the invitation email and the join screen tell someone whose invitation expired to ask for.
    const invited = await invite(acme.token, { email: 'late@acme.test', name: 'Late Comer', role: 'billing' })
    const id = invited.body.members.find((m) => m.email === 'late@acme.test')?.id ?? ''
    const first = await latestSecret(svc, 'late@acme.test', 'member-invitation')
    const resend = (t: string, member = id) =>
      svc.api<{ members: { id: string; joined: boolean }[] } & Err>(
        'POST',
        `/v1/business/members/${member}/invitation`,
        undefined,
        t
      )
    // Not another business's, nor a role that does not manage the people.
    expect((await resend(other.token)).status).toBe(404)
    expect([(await resend(token.billing)).status, (await resend(token.line)).body.error?.reason]).toEqual([
      403,
      'role-refused'
    ])
    const again = await resend(token.admin)
    expect(again.status, JSON.stringify(again.body)).toBe(200)
    // Sent in the same instant as the first: told apart by the code, not by the order.
    const codes = (await mailbox(svc, 'late@acme.test'))
      .filter((m) => m.purpose === 'member-invitation')
      .map((m) => /\b(dtr_[A-Za-z0-9_-]{43})\b/.exec(m.body ?? '')?.[1])
    expect(codes).toHaveLength(2)
    expect(codes).toContain(first)
    const second = codes.find((c) => c !== first) ?? ''
    const reset = await svc.api('POST', '/v1/auth/password/reset', { token: second, password: PASSWORD })
    expect(reset.status, JSON.stringify(reset.body)).toBe(200)
    // Joined: nothing is sent any more.
    const mails = async () =>
      (await mailbox(svc, 'late@acme.test')).filter((m) => m.purpose === 'member-invitation').length
    const before = await mails()
    expect((await resend(acme.token)).status).toBe(200)
    expect(await mails()).toBe(before)
    // The people the other tests count stay as they were.
    expect((await svc.api('DELETE', `/v1/business/members/${id}`, undefined, acme.token)).status).toBe(200)
  })

  it('billing sees money and the lines list but not calls nor a line’s phone data', async () => {
    expect((await get('/v1/balance', token.billing)).status).toBe(200)
    expect((await get('/v1/business/invoices', token.billing)).status).toBe(200)
    expect((await get('/v1/lines', token.billing)).status).toBe(200)
    expect((await get(`/v1/lines/${acme.lineId}/subscription`, token.billing)).status).toBe(200)
    for (const path of [
      '/v1/usage/calls?from=2026-01-01&to=2026-01-02',
      '/v1/usage/series?granularity=day&from=2026-01-01&to=2026-01-02',
      '/v1/calls/refused',
      `/v1/lines/${acme.lineId}`,
      `/v1/lines/${acme.lineId}/sip`,
      `/v1/lines/${acme.lineId}/voicemail`,
      `/v1/lines/${acme.lineId}/forwarding`,
      '/v1/business/members'
    ]) {
      const r = await get(path, token.billing)
      expect([r.status, r.body.error?.reason], path).toEqual([403, 'role-refused'])
    }
    // Billing pays for a renewal; switching auto-renew on with it is the administrator's, as setAutoRenew is.
    const renewal = (autoRenew: boolean) =>
      svc.api<{ error?: { reason: string } }>(
        'POST',
        '/v1/checkout',
        {
          idempotencyKey: key(),
          items: [{ kind: 'renewal', lineId: acme.lineId, planId: 'line-1m@1' }],
          payment: { card: CARDS.ok, save: true },
          autoRenew
        },
        token.billing
      )
    const withAuto = await renewal(true)
    expect([withAuto.status, withAuto.body.error?.reason]).toEqual([403, 'role-refused'])
    expect((await renewal(false)).status).toBe(201)
  })

  it('an administrator releases a dongle with their own password, and cannot spend or guess the owner’s', async () => {
    const biz = await trialLine(svc, { accountType: 'business', name: 'Rhea Owner' })
    const spare = await addRetailLine(svc, biz.token)
    const deviceOf = async (lineId: string): Promise<string> =>
      (
        await svc.service.ctx.db
          .selectFrom('lines')
          .select('device_id')
          .where('id', '=', lineId)
          .executeTakeFirstOrThrow()
      ).device_id ?? ''
    const email = `release-${backend}@rhea.test`
    expect((await invite(biz.token, { name: 'Rel', email, role: 'administrator' })).status).toBe(201)
    const admin = await join(email)
    const release = (deviceId: string, password: string) =>
      svc.api<Err>('POST', `/v1/devices/${deviceId}/release`, { password }, admin)
    // The owner's password is not the administrator's: refused like any wrong one.
    const owners = await release(biz.deviceId, biz.password)
    expect(owners.status).toBe(400)
    expect(owners.body.error?.reason).toBe('wrong-password')
    // Their own releases the business's dongle.
    expect((await release(await deviceOf(spare.lineId), PASSWORD)).status).toBe(200)
    // Their wrong guesses spend their own checks, never the owner's: the owner still changes their password.
    let last = 0
    for (let i = 0; i < 10 && last !== 429; i++)
      last = (await release(biz.deviceId, `not it ${i} at all`)).status
    expect(last).toBe(429)
    const change = await svc.api(
      'POST',
      '/v1/auth/password/change',
      {
        currentPassword: biz.password,
        newPassword: 'another horse battery 99',
        signOutOthers: false
      },
      biz.token
    )
    expect(change.status, JSON.stringify(change.body)).toBe(200)
  })

  it('an administrator manages every line and the people; every refusal is audited', async () => {
    expect((await get(`/v1/lines/${secondLine}`, token.admin)).status).toBe(200)
    expect((await get('/v1/usage/calls?from=2026-01-01&to=2026-01-02', token.admin)).status).toBe(200)
    const lines = await get<{ lines: unknown[] }>('/v1/lines', token.admin)
    expect(lines.body.lines).toHaveLength(2)
    const members = await get<{ members: { role: string; joined: boolean }[] }>(
      '/v1/business/members',
      token.admin
    )
    expect(members.body.members.map((m) => [m.role, m.joined]).sort()).toEqual([
      ['administrator', true],
      ['billing', true],
      ['line', true]
    ])
    const refused = await svc.service.ctx.db
      .selectFrom('audit_events')
      .select('kind')
      .where('kind', '=', 'business.refused')
      .where('account_id', '=', acme.accountId)
      .execute()
    expect(refused.length).toBeGreaterThan(10)
  })

  it('every business route tried by another business and by each role on data not theirs is refused, changing nothing', async () => {
    const ctx = svc.service.ctx
    const inv = await issueInvoice(ctx, acme.accountId, '2026-10', 'operator:test').catch(() => null)
    const doc = await svc.api<{ requests: { id: string }[] }>(
      'POST',
      '/v1/business/documents',
      { kind: 'signed-statement', from: '2026-11-01', to: '2026-11-30' },
      token.billing
    )
    expect(doc.status, JSON.stringify(doc.body)).toBe(201)
    const docId = doc.body.requests[0]?.id ?? ''
    const invoices = await get<{ invoices: { id: string }[] }>('/v1/business/invoices', acme.token)
    const invoiceId = inv?.id ?? invoices.body.invoices[0]?.id ?? newId('inv')
    const tries: [string, string, unknown?][] = [
      ['PUT', `/v1/business/members/${memberId.line}`, { role: 'administrator' }],
      ['DELETE', `/v1/business/members/${memberId.admin}`],
      ['GET', `/v1/business/invoices/${invoiceId}/pdf`],
      ['POST', `/v1/business/invoices/${invoiceId}/email`],
      ['GET', `/v1/business/documents/${docId}/file`]
    ]
    // Another business (and a person without one) on acme's ids: not found, as if they did not exist.
    for (const [method, path, body] of tries) {
      for (const t of [other.token]) {
        const r = await svc.api<Err>(method, path, body, t)
        expect([r.status, r.body.error?.code], `${method} ${path}`).toEqual([404, 'not-found'])
      }
      const r = await svc.api<Err>(method, path, body, person.token)
      expect(r.status, `${method} ${path} by an individual`).toBe(404)
    }
    // Acme's own members whose role does not allow it.
    for (const [method, path, body] of tries) {
      const roles = path.includes('/members/') ? [token.billing, token.line] : [token.line]
      for (const t of roles) {
        const r = await svc.api<Err>(method, path, body, t)
        expect([r.status, r.body.error?.reason], `${method} ${path}`).toEqual([403, 'role-refused'])
      }
    }
    // Lists show each business its own, nothing of the other's.
    expect((await get<{ invoices: unknown[] }>('/v1/business/invoices', other.token)).body.invoices).toEqual(
      []
    )
    expect((await get<{ members: unknown[] }>('/v1/business/members', other.token)).body.members).toEqual([])
    expect((await get<{ requests: unknown[] }>('/v1/business/documents', other.token)).body.requests).toEqual(
      []
    )
    const still = await get<{ members: { role: string }[] }>('/v1/business/members', acme.token)
    expect(still.body.members.map((m) => m.role).sort()).toEqual(['administrator', 'billing', 'line'])
    // A line user cannot be given another business's line.
    const foreign = await invite(acme.token, {
      email: 'x@acme.test',
      name: 'X',
      role: 'line',
      lineId: other.lineId
    })
    expect([foreign.status, foreign.body.error?.reason]).toEqual([404, 'line-not-found'])
  })

  it('an invitation to an address already on another account is refused in one clear answer that names no account', async () => {
    const answers = []
    for (const email of [other.email, person.email, 'desk@acme.test']) {
      const r = await invite(token.admin, { email, name: 'Someone', role: 'billing' })
      answers.push([r.status, r.body.error?.reason])
      const text = JSON.stringify(r.body)
      for (const leak of [other.accountId, person.accountId, 'Bob Other', other.lineId])
        expect(text).not.toContain(leak)
    }
    expect(answers).toEqual([
      [409, 'email-unavailable'],
      [409, 'email-unavailable'],
      [409, 'email-unavailable']
    ])
    // A person's own account has no people to invite.
    const r = await invite(person.token, { email: 'new@person.test', name: 'New', role: 'billing' })
    expect([r.status, r.body.error?.reason]).toEqual([403, 'not-business'])
    // Twice at once: one invitation.
    const both = await Promise.all(
      [1, 2].map(() => invite(acme.token, { email: 'twice@acme.test', name: 'Twice', role: 'billing' }))
    )
    expect(both.map((b) => b.status).sort()).toEqual([201, 409])
  })

  it('a document request is fulfilled once and then downloadable by billing; a removed member is signed out', async () => {
    const ctx = svc.service.ctx
    const list = await get<{ requests: { id: string; status: string }[] }>(
      '/v1/business/documents',
      token.billing
    )
    const id = list.body.requests[0]?.id ?? ''
    const early = await get(`/v1/business/documents/${id}/file`, token.billing)
    expect([early.status, early.body.error?.reason]).toEqual([409, 'document-not-ready'])
    await fulfilDocument(ctx, id, { id: 'opr_test', name: 'Test Operator' })
    await expect(fulfilDocument(ctx, id, { id: 'opr_test', name: 'Test Operator' })).rejects.toMatchObject({
      reason: 'document-not-found'
    })
    const file = await get<{ contentBase64: string }>(`/v1/business/documents/${id}/file`, token.billing)
    expect(file.status).toBe(200)
    expect(Buffer.from(file.body.contentBase64, 'base64').subarray(0, 5).toString()).toBe('%PDF-')
    const gone = await svc.api('DELETE', `/v1/business/members/${memberId.billing}`, undefined, token.admin)
    expect(gone.status).toBe(200)
    expect((await get('/v1/balance', token.billing)).status).toBe(401)
  })
})
