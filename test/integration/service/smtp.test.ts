/**
 * Email through real SMTP: a local smtp-server receives the activation code and the reset code the service
 * sends with nodemailer; once sent or given up, the outbox forgets the body; with SMTP on, the dev mailbox is off;
 * the server's refusals reach the log without the person's address.
 */
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../support/postgres'
import { type TestService, startTestService } from '../../support/service'
import { ACCEPT, BILLING, MODEL, newSerial } from '../../support/service-flows'
import { MAX_ATTEMPTS } from '../../../src/server/mail/sender'

interface Received {
  to: string[]
  raw: string
}

describe('email over SMTP', () => {
  let svc: TestService
  let smtp: SMTPServer
  const received: Received[] = []
  let failNext = 0
  /** Recipients the server refuses for good, naming them as real servers do. */
  const unknown = new Set<string>()

  beforeAll(async () => {
    const port = await freePort()
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let raw = ''
        stream.on('data', (d: Buffer) => (raw += d.toString()))
        stream.on('end', () => {
          const to = session.envelope.rcptTo.map((r) => r.address)
          const refused = to.find((a) => unknown.has(a))
          if (refused) return callback(new Error(`550 5.1.1 <${refused}>: user unknown`))
          if (failNext > 0) {
            failNext--
            return callback(new Error('451 try again later'))
          }
          received.push({ to, raw })
          callback()
        })
      }
    })
    await new Promise<void>((r) => smtp.listen(port, '127.0.0.1', r))
    svc = await startTestService('sqlite', {}, { DIALTONE_SMTP_URL: `smtp://127.0.0.1:${port}` })
  })
  afterAll(async () => {
    await svc.close()
    await new Promise<void>((r) => smtp.close(() => r()))
  })

  it('delivers the activation code and the reset code, then forgets the bodies', async () => {
    expect((await svc.api('GET', '/dev/mailbox.json')).status).toBe(404)
    const serial = newSerial()
    const email = `${serial.toLowerCase()}@example.test`
    const trial = await svc.api<{ trialId: string }>('POST', '/v1/trials', {
      serial,
      model: MODEL,
      name: 'Ada',
      billingAddress: BILLING,
      email,
      password: 'correct horse battery',
      areaCode: '201',
      acceptances: ACCEPT
    })
    expect(trial.status).toBe(202)
    await svc.service.outbox.flush()
    const mail = received.find((m) => m.to.includes(email))
    const code = /Your Dialtone activation code: (\d{6})/.exec(mail?.raw ?? '')?.[1]
    expect(code).toMatch(/^\d{6}$/)
    const activated = await svc.api('POST', '/v1/trials/activate', { trialId: trial.body.trialId, code })
    expect(activated.status).toBe(201)

    await svc.api('POST', '/v1/auth/password/forgot', { identifier: email })
    await svc.service.outbox.flush()
    const reset = received
      .filter((m) => m.to.includes(email))
      .find((m) => m.raw.includes('Reset your Dialtone password'))
    // The body is quoted-printable (lines over 76 characters): its soft line breaks may fall inside the code.
    expect(reset?.raw.replace(/=\r?\n/g, '')).toMatch(/dtr_[A-Za-z0-9_-]{43}/)
    const rows = await svc.service.ctx.db
      .selectFrom('outbox')
      .selectAll()
      .where('recipient', '=', email)
      .execute()
    expect(rows.every((r) => r.sent_at !== null && r.body === null)).toBe(true)
  })

  it('retries a message the server refused, later, without losing it', async () => {
    failNext = 1
    await svc.api('POST', '/v1/auth/password/forgot', { identifier: 'nobody@example.test' })
    const serial = newSerial()
    const email = `${serial.toLowerCase()}@example.test`
    await svc.api('POST', '/v1/trials', {
      serial,
      model: MODEL,
      name: 'Ada',
      billingAddress: BILLING,
      email,
      password: 'correct horse battery',
      areaCode: '201',
      acceptances: ACCEPT
    })
    await svc.service.outbox.flush()
    const row = await svc.service.ctx.db
      .selectFrom('outbox')
      .selectAll()
      .where('recipient', '=', email)
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({ sent_at: null, attempts: 1 })
    expect(row.last_error).toMatch(/try again later/)
    svc.clock.advance(61_000)
    await svc.service.outbox.flush()
    expect(received.some((m) => m.to.includes(email))).toBe(true)
  })

  it('gives a message up after ten refusals: its code forgotten, the log and the row without the address', async () => {
    const email = 'gone-for-good@example.test'
    const serial = newSerial()
    unknown.add(email)
    await svc.api('POST', '/v1/trials', {
      serial,
      model: MODEL,
      name: 'Ada',
      billingAddress: BILLING,
      email,
      password: 'correct horse battery',
      areaCode: '201',
      acceptances: ACCEPT
    })
    const row = () =>
      svc.service.ctx.db
        .selectFrom('outbox')
        .selectAll()
        .where('recipient', '=', email)
        .executeTakeFirstOrThrow()
    expect((await row()).body).not.toBeNull()
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      await svc.service.outbox.flush()
      expect((await row()).attempts).toBe(attempt + 1)
      // Still readable (to be sent) until the last attempt.
      if (attempt < MAX_ATTEMPTS - 1) expect((await row()).body).not.toBeNull()
      svc.clock.advance(60_000 * 2 ** (attempt + 1) + 1000)
    }
    const given = await row()
    expect(given).toMatchObject({ sent_at: null, attempts: MAX_ATTEMPTS, body: null, attachments: null })
    expect(given.last_error).toMatch(/550 5\.1\.1 <<recipient>>: user unknown/)
    const said = svc.logged.filter((l) => l.includes('not sent'))
    expect(said.length).toBeGreaterThanOrEqual(MAX_ATTEMPTS)
    expect(said.at(-1)).toMatch(/given up/)
    expect(svc.logged.filter((l) => l.includes(email))).toEqual([])
    // Given up: the flushes after it send nothing and write nothing more.
    await svc.service.outbox.flush()
    expect((await row()).attempts).toBe(MAX_ATTEMPTS)
  })
})
