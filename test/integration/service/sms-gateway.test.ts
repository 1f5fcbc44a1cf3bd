/**
 * SMS leave through an SmsGateway (src/server/mail/sms.ts), on SQLite and PostgreSQL. Without one (the embedded
 * default) a sign-up code stays in the outbox and the dev mailbox shows it, page and JSON, like an email. With
 * one, the outbox sender hands it each due SMS once, retries one the gateway refused later, and forgets the body
 * once it is out, while emails (no SMTP here) stay in the dev mailbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOutboxSender } from '../../../src/server/mail/sender'
import type { Sms, SmsGateway } from '../../../src/server/mail/sms'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { latestSecret, mailbox, trialLine } from '../../support/service-flows'

/** A gateway that records what it was handed and refuses the next `failNext` messages. */
function recordingGateway(): SmsGateway & { sent: Sms[]; failNext: number } {
  const g = {
    name: 'recording',
    sent: [] as Sms[],
    failNext: 0,
    send(message: Sms): Promise<void> {
      if (g.failNext > 0) {
        g.failNext--
        return Promise.reject(new Error('503 gateway busy'))
      }
      g.sent.push(message)
      return Promise.resolve()
    }
  }
  return g
}

describe.each(BACKENDS)('SMS on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend)
  })
  afterAll(() => svc.close())

  it('keeps an SMS in the dev mailbox without a gateway, shown like an email', async () => {
    const phone = '+13125550161'
    expect((await svc.api('POST', '/v1/signup/phone', { phone })).status).toBe(202)
    const code = await latestSecret(svc, phone, 'phone-signup')
    const [sms] = await mailbox(svc, phone)
    expect(sms).toMatchObject({ channel: 'sms', to: phone, purpose: 'phone-signup' })
    const page = await svc.bare<string>('GET', '/dev/mailbox')
    expect(page.status).toBe(200)
    const article = /<article data-channel="sms">[\s\S]*?<\/article>/.exec(page.body)?.[0] ?? ''
    expect(article).toContain(`SMS to ${phone}`)
    expect(article).toContain(code)
    // The embedded sender, which has no gateway, leaves it there.
    const sender = createOutboxSender(svc.service.ctx.db, svc.clock, null, () => undefined)
    expect(await sender.flush()).toBe(0)
    expect((await mailbox(svc, phone))[0]?.body).toContain(code)
  })

  it('hands each due SMS to a gateway once, retries a refused one later, and forgets the body', async () => {
    const gateway = recordingGateway()
    const errors: string[] = []
    const sender = createOutboxSender(svc.service.ctx.db, svc.clock, null, (m) => errors.push(m), gateway)
    // Whatever earlier tests queued goes out first; then only this test's messages count.
    await sender.flush()
    gateway.sent.length = 0

    const phone = '+13125550162'
    gateway.failNext = 1
    await svc.api('POST', '/v1/signup/phone', { phone })
    const line = await trialLine(svc) // an email, which this sender (no SMTP) leaves in the dev mailbox
    expect(await sender.flush()).toBe(0)
    expect(errors.join('\n')).toMatch(/^sms msg_\S+ \(phone-signup\) not sent: 503 gateway busy$/m)
    expect(await sender.flush()).toBe(0) // not yet due again
    svc.clock.advance(60_000)
    expect(await sender.flush()).toBe(1)
    expect(gateway.sent).toEqual([
      { to: phone, body: expect.stringMatching(/Your Dialtone code is \d{6}\./) }
    ])
    // The log line of the refusal never carried the code.
    const code = /\d{6}/.exec(gateway.sent[0]?.body ?? '')?.[0] ?? 'none'
    expect(errors.join('\n')).not.toContain(code)
    expect(await sender.flush()).toBe(0)
    expect(gateway.sent).toHaveLength(1)
    const [row] = await mailbox(svc, phone)
    expect(row?.body).toBeNull()
    expect((await mailbox(svc, line.email)).find((m) => m.purpose === 'trial-code')?.body).toMatch(/\d{6}/)
    sender.close()
  })
})
