/**
 * Business operators in `dialtone-ops` on SQLite and PostgreSQL (issue 25 part 2), as the real CLI process: a
 * business's request for a signed statement listed, fulfilled once (the PDF, certified with the operator's name,
 * kept for the app and emailed, a second fulfil refused), and the monthly invoices issued for an ended month (numbered, emailed, once per month), each
 * step audited with its reason; a support operator may list but not fulfil nor invoice (refused, audited).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId } from '../../../src/server/secrets'
import { type OpsCli, firstAdmin, makeOperator, signedInCli } from '../../support/ops'
import { pdfToText } from '../../support/pdftotext'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { type TrialLine, mailbox, trialLine } from '../../support/service-flows'

describe.each(BACKENDS)('business operators on %s', (backend) => {
  let svc: TestService
  let billingCli: OpsCli
  let billingEmail = ''
  let supportCli: OpsCli
  let acme: TrialLine

  beforeAll(async () => {
    svc = await startTestService(backend)
    const a = await firstAdmin(svc, 'business-admin@ops.dialtone.test', 'Business Admin')
    const billing = await makeOperator(svc, a.token, 'billing')
    billingEmail = billing.email
    billingCli = await signedInCli(svc, billing)
    supportCli = await signedInCli(svc, await makeOperator(svc, a.token, 'support'))
    acme = await trialLine(svc, { accountType: 'business', name: 'Ada Owner' })
  }, 120_000)
  afterAll(() => svc.close())

  const audit = (action: string) =>
    svc.service.ctx.db.selectFrom('ops_audit').selectAll().where('action', '=', action).execute()

  it('lists a document request, fulfils it once (kept and emailed), audited with the reason', async () => {
    const asked = await svc.api<{ requests: { id: string }[] }>(
      'POST',
      '/v1/business/documents',
      { kind: 'signed-statement', from: '2026-11-01', to: '2026-11-30', note: 'for the auditors' },
      acme.token
    )
    expect(asked.status, JSON.stringify(asked.body)).toBe(201)
    const id = asked.body.requests[0]?.id ?? ''
    const listed = await supportCli.json<{ requests: { id: string; note: string }[] }>([
      'business',
      'requests'
    ])
    expect(listed.requests.find((r) => r.id === id)?.note).toBe('for the auditors')

    const refused = await supportCli.run(['business', 'fulfil', id, '--reason', 'support should not'])
    expect(refused.code).not.toBe(0)
    const noReason = await billingCli.run(['business', 'fulfil', id])
    expect(noReason.code).not.toBe(0)
    const done = await billingCli.run(['business', 'fulfil', id, '--reason', 'requested by the customer'])
    expect(done.code, done.stderr).toBe(0)
    expect(done.stdout).toBe(
      `Fulfilled ${id}: dialtone-signed-statement-2026-11-01-to-2026-11-30.pdf emailed to the account.\n`
    )
    const again = await billingCli.run(['business', 'fulfil', id, '--reason', 'requested by the customer'])
    expect(again.code).not.toBe(0)

    const file = await svc.api<{ contentBase64: string }>(
      'GET',
      `/v1/business/documents/${id}/file`,
      undefined,
      acme.token
    )
    expect(file.status).toBe(200)
    const pdf = Buffer.from(file.body.contentBase64, 'base64')
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    // Certified with the operator's name (makeOperator names a billing operator "Test billing"), not their email.
    const text = pdfToText(pdf).join(' ')
    expect(text).toContain('by Test billing (operator')
    expect(text).not.toContain(billingEmail)
    const mail = (await mailbox(svc, acme.email)).find((m) => m.purpose === 'document')
    expect(mail?.subject).toContain('document')
    const rows = await audit('business-fulfil')
    expect(rows.filter((r) => r.outcome === 'ok')).toHaveLength(1)
    expect(rows.some((r) => r.outcome === 'refused')).toBe(true)
    expect(rows.find((r) => r.outcome === 'ok')?.reason).toBe('requested by the customer')
    expect((await supportCli.json<{ requests: unknown[] }>(['business', 'requests'])).requests).toEqual([])
  })

  it("support's resend of a business member's invitation sends the member invitation again, not the contact's", async () => {
    const email = `bookkeeper-${backend}@acme.test`
    const invited = await svc.api(
      'POST',
      '/v1/business/members',
      { name: 'Bo Keeper', email, role: 'billing' },
      acme.token
    )
    expect(invited.status, JSON.stringify(invited.body)).toBe(201)
    const resent = await supportCli.json<{ sent: { kind: string }[] }>([
      'accounts',
      'resend-code',
      '--email',
      email
    ])
    expect(resent.sent.map((s) => s.kind)).toEqual(['invitation'])
    const mails = await mailbox(svc, email)
    expect(mails.map((m) => m.purpose)).toEqual(['member-invitation', 'member-invitation'])
    const again = mails.at(-1)
    expect(again?.subject).toBe(mails[0]?.subject)
    expect(again?.body).toContain('as billing (balance, payments, invoices and documents)')
    expect(again?.body).toContain('"I was invited to a business account"')
  })

  it('issues the invoices of an ended month once per account that existed in it, numbered and emailed', async () => {
    // Acme has been a customer since September; a company account opened today had no October.
    const today = await billingCli.json<{ account: { id: string } }>([
      'accounts',
      'create',
      '--type',
      'business',
      '--company',
      'Opened Today Co',
      '--contact',
      'Tess Today',
      '--email',
      'tess@today.test',
      '--street',
      '1 Main St',
      '--city',
      'Austin',
      '--region',
      'TX',
      '--postal-code',
      '78701',
      '--country',
      'US'
    ])
    expect(today.account.id).toMatch(/^acc_/)
    // No --time-zone: the billing address's state gives it (Texas), not UTC.
    const zone = await svc.service.ctx.db
      .selectFrom('accounts')
      .select('timezone')
      .where('id', '=', today.account.id)
      .executeTakeFirstOrThrow()
    expect(zone.timezone).toBe('America/Chicago')
    await svc.service.ctx.db
      .updateTable('accounts')
      .set({ created_at: '2026-09-01T12:00:00.000Z' })
      .where('id', '=', acme.accountId)
      .execute()
    await svc.service.ctx.db
      .insertInto('balance_entries')
      .values({
        id: newId('bal'),
        account_id: acme.accountId,
        kind: 'usage',
        amount_minor: -2500,
        currency: 'USD',
        source_ref: 'ops-business-usage',
        memo: 'Calls in October',
        memo_code: 'other',
        memo_params: '{}',
        created_at: '2026-10-10T12:00:00.000Z'
      })
      .execute()
    const refused = await supportCli.run([
      'business',
      'issue-invoices',
      '--period',
      '2026-10',
      '--reason',
      'month end'
    ])
    expect(refused.code).not.toBe(0)
    const out = await billingCli.json<{
      invoices: { number: string; accountId: string; total: { amountMinor: number } }[]
    }>(['business', 'issue-invoices', '--period', '2026-10', '--reason', 'month end'])
    const mine = out.invoices.find((i) => i.accountId === acme.accountId)
    expect(mine?.number).toMatch(/^DT-202610-\d{6}$/)
    expect(mine?.total.amountMinor).toBe(2500)
    // Only accounts that existed in October: the one opened today gets no (immutable, numbered) October invoice.
    expect(out.invoices.map((i) => i.accountId)).toEqual([acme.accountId])
    const second = await billingCli.run([
      'business',
      'issue-invoices',
      '--period',
      '2026-10',
      '--reason',
      'month end'
    ])
    expect(second.code, second.stderr).toBe(0)
    expect(second.stdout).toContain('no invoice to issue')
    const listed = await svc.api<{ invoices: { number: string }[] }>(
      'GET',
      '/v1/business/invoices',
      undefined,
      acme.token
    )
    expect(listed.body.invoices.map((i) => i.number)).toEqual([mine?.number])
    expect((await mailbox(svc, acme.email)).some((m) => m.purpose === 'invoice')).toBe(true)
    const badMonth = await billingCli.run([
      'business',
      'issue-invoices',
      '--period',
      '2026-13',
      '--reason',
      'month end'
    ])
    expect(badMonth.code).not.toBe(0)
    expect(
      (await audit('business-issue-invoices')).some((r) => r.outcome === 'ok' && r.reason === 'month end')
    ).toBe(true)
  })
})
