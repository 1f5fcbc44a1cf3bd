/**
 * The voicemail server from its SIP side, per the Kamailio -> voicemail contract (docs/voicemail.md): sipp calls
 * it as Kamailio would (`deposit-no-answer-<box>`, `retrieve-<box>`), a test RTP peer plays a known tone and
 * presses keys. Real baresip lines answer, play and record; the service's database keeps the messages. Checked:
 * a message with the caller's tone, two calls at once, a full box announced and nothing stored, handset retrieval
 * (7 delete, 9 save, # next), a greeting recorded from the handset and heard by the next caller (silence refused),
 * message waiting NOTIFYs (sipp subscribes), and that nobody but Kamailio's address is heard.
 */
import { execFileSync } from 'node:child_process'
import { networkInterfaces } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { VOICEMAIL_LIMITS } from '../../src/server/voicemail/limits'
import { PROMPT_TEXT } from '../../src/server/voicemail/prompts'
import { listMessages, saveMessage } from '../../src/server/voicemail/store'
import { assertIsolatedNetwork, until } from '../support/phone-app'
import { freePort } from '../support/postgres'
import { type TrialLine, trialLine } from '../support/service-flows'
import { type TestService, startTestService } from '../support/service'
import { callVoicemail, hasTone, toneShare, watchMwi, wavSamples } from '../support/voicemail-caller'

let svc: TestService
let vmPort: number
let line: TrialLine
let box: string

async function messages(): Promise<Awaited<ReturnType<typeof listMessages>>> {
  return listMessages(svc.service.ctx, { lineId: line.lineId })
}

async function audioOf(id: string): Promise<Int16Array> {
  const row = await svc.service.ctx.db
    .selectFrom('voicemail_messages')
    .select('audio')
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
  return wavSamples(row.audio)
}

beforeAll(async () => {
  assertIsolatedNetwork(Object.keys(networkInterfaces()))
  vmPort = await freePort()
  svc = await startTestService(
    'sqlite',
    {},
    {},
    {
      voicemail: { host: '127.0.0.1', port: vmPort, lines: 2, rtpPort: 34000, trusted: ['127.0.0.1'] }
    }
  )
  line = await trialLine(svc)
  const row = await svc.service.ctx.db
    .selectFrom('sip_accounts')
    .select('username')
    .where('line_id', '=', line.lineId)
    .executeTakeFirstOrThrow()
  box = row.username
}, 60_000)

afterAll(async () => {
  if (process.env.VM_DEBUG) {
    console.log(svc?.logged.join('\n'))
    const { execSync } = await import('node:child_process')
    console.log(
      execSync(
        `cat ${svc.dataDir}/voicemail/lines/*/baresip.log; ls -la ${svc.dataDir}/voicemail/lines/*/rec`
      ).toString()
    )
  }
  await svc?.close()
})

describe('the voicemail server', () => {
  it('records a message with the caller tone after the greeting and the beep', async () => {
    const call = await callVoicemail({
      vmPort,
      user: `deposit-no-answer-${box}`,
      from: '+12125550199',
      fromName: 'Ada Caller',
      holdMs: 10_000,
      hz: 800
    })
    expect(await call.ended, call.trace()).toBe(0)
    const list = await until(messages, (l) => l.length === 1)
    const m = list[0]
    expect(m).toMatchObject({
      caller: '+12125550199',
      callerName: 'Ada Caller',
      reason: 'no-answer',
      heard: false
    })
    // The default greeting is spoken first (a few seconds), the beep, then what the caller said: ~4-6 s of tone.
    expect(m?.durationMs).toBeGreaterThan(2000)
    expect(m?.durationMs).toBeLessThan(9000)
    const samples = await audioOf(m?.id ?? '')
    expect(toneShare(samples, 800)).toBeGreaterThan(0.8)
    expect(toneShare(samples, 1000)).toBeLessThan(0.05) // not the beep
    // The caller heard the greeting (speech) then the beep at 1000 Hz.
    const heard = call.peer.heard()
    expect(heard.length).toBeGreaterThan(8000 * 4)
  }, 40_000)

  it('takes two calls at once, each message with its own caller and tone', async () => {
    const calls = await Promise.all([
      callVoicemail({ vmPort, user: `deposit-busy-${box}`, from: '+13125550111', holdMs: 10_000, hz: 500 }),
      callVoicemail({
        vmPort,
        user: `deposit-unavailable-${box}`,
        from: 'anonymous',
        holdMs: 10_000,
        hz: 1300
      })
    ])
    for (const c of calls) expect(await c.ended, c.trace()).toBe(0)
    const list = await until(messages, (l) => l.length === 3)
    const busy = list.find((m) => m.reason === 'busy')
    const unavailable = list.find((m) => m.reason === 'unavailable')
    expect(busy?.caller).toBe('+13125550111')
    expect(unavailable?.caller).toBe('anonymous')
    expect(toneShare(await audioOf(busy?.id ?? ''), 500)).toBeGreaterThan(0.8)
    expect(toneShare(await audioOf(unavailable?.id ?? ''), 1300)).toBeGreaterThan(0.8)
  }, 40_000)

  it('lights message waiting for a subscribed line, and hears nobody but Kamailio', async () => {
    const mwi = await watchMwi(vmPort, box)
    await until(
      async () => mwi.bodies.length,
      (n) => n >= 1,
      5000
    )
    expect(mwi.status()).toBe(200)
    expect(mwi.bodies[0]).toMatch(/Messages-Waiting: yes/)
    expect(mwi.bodies[0]).toMatch(/Voice-Message: 3\/0/)
    await mwi.close()
    // Another address (still loopback, not the trusted one) gets no answer at all.
    const stranger = await watchMwi(vmPort, box, '127.0.0.2')
    await new Promise((r) => setTimeout(r, 1500))
    expect(stranger.status()).toBe(0)
    expect(stranger.bodies).toEqual([])
    await stranger.close()
    // A line may watch only its own box.
    const other = await watchMwi(vmPort, '12125550999')
    await until(
      async () => other.status(),
      (s) => s !== 0,
      5000
    )
    expect(other.status()).toBe(404)
    await other.close()
  }, 20_000)

  it('plays new messages from the handset: 9 saves, 7 deletes, # goes on; the lamp goes out', async () => {
    const mwi = await watchMwi(vmPort, box)
    await until(
      async () => mwi.bodies.length,
      (n) => n >= 1,
      5000
    )
    const before = await messages()
    // The order the server plays them in (oldest first) is the order the list gives.
    const tones = new Map<string, number>()
    for (const m of before)
      for (const hz of [800, 500, 1300]) if (toneShare(await audioOf(m.id), hz) > 0.8) tones.set(m.id, hz)
    const [first, second, third] = before.map((m) => tones.get(m.id) ?? 0)
    const call = await callVoicemail({ vmPort, user: `retrieve-${box}`, from: `+${box}`, holdMs: 13_000 })
    // "You have 3 new messages", then the first message plays: the caller hears its tone.
    await until(async () => hasTone(call.peer.heard(), first ?? 0), Boolean, 10_000)
    await call.peer.press('9')
    await until(async () => hasTone(call.peer.heard(), second ?? 0), Boolean, 10_000)
    await call.peer.press('7')
    await until(async () => hasTone(call.peer.heard(), third ?? 0), Boolean, 10_000)
    await call.peer.press('#')
    await until(messages, (l) => l.length === 2 && l.every((m) => m.heard), 5000)
    const after = await messages()
    expect(after.map((m) => m.id)).toEqual([before[0]?.id, before[2]?.id])
    await until(
      async () => mwi.bodies.at(-1) ?? '',
      (b) => /Messages-Waiting: no/.test(b),
      5000
    )
    await mwi.close()
    await call.ended
  }, 60_000)

  it('records a greeting from the handset (8, then #), which the next caller hears; silence is refused', async () => {
    const promptMs = (name: string): number =>
      Math.round(
        Number(
          execFileSync('soxi', ['-D', join(svc.dataDir, 'voicemail/prompts', `${name}.wav`)]).toString()
        ) * 1000
      )
    const record = async (hz: number | null): Promise<void> => {
      const call = await callVoicemail({ vmPort, user: `retrieve-${box}`, from: `+${box}`, holdMs: 30_000 })
      await until(
        async () => call.peer.heard().length,
        (n) => n > 8000,
        10_000
      )
      await call.peer.press('8')
      await new Promise((r) => setTimeout(r, promptMs('recordGreeting') + promptMs('beep') + 300))
      call.peer.play(hz)
      await new Promise((r) => setTimeout(r, 2500))
      call.peer.play(null)
      await call.peer.press('#')
      // The server says how it went and hangs up by itself.
      expect(await call.ended, call.trace()).toBe(0)
    }
    await record(600)
    const saved = await svc.service.ctx.db
      .selectFrom('voicemail_greetings')
      .selectAll()
      .executeTakeFirstOrThrow()
    expect(saved.duration_ms).toBeGreaterThan(2000)
    expect(saved.duration_ms).toBeLessThan(4000)
    await record(null)
    const kept = await svc.service.ctx.db
      .selectFrom('voicemail_greetings')
      .selectAll()
      .executeTakeFirstOrThrow()
    expect(kept.updated_at).toBe(saved.updated_at)
    const next = await callVoicemail({
      vmPort,
      user: `deposit-no-answer-${box}`,
      from: '+14155550123',
      holdMs: 6000,
      hz: null
    })
    await next.ended
    expect(hasTone(next.peer.heard(), 600)).toBe(true)
  }, 90_000)

  it('tells the caller when the box is full, and keeps nothing', async () => {
    const have = (await messages()).length
    for (let i = have; i < VOICEMAIL_LIMITS.maxMessages; i++)
      await saveMessage(
        svc.service.ctx,
        { lineId: line.lineId, accountId: line.accountId, box },
        {
          caller: '+12125550100',
          callerName: null,
          reason: 'busy',
          durationMs: 1000,
          audio: Buffer.alloc(64)
        }
      )
    const started = Date.now()
    const call = await callVoicemail({
      vmPort,
      user: `deposit-busy-${box}`,
      from: '+12125550177',
      holdMs: 20_000,
      hz: 900
    })
    expect(await call.ended, call.trace()).toBe(0)
    // The server hung up after the announcement (well before the caller would have).
    expect(Date.now() - started).toBeLessThan(15_000)
    const heard = call.peer.heard()
    expect(heard.length).toBeGreaterThan(8000 * 2)
    expect(Math.max(...heard.subarray(0, 8000 * 4).map(Math.abs))).toBeGreaterThan(2000) // speech, not silence
    expect((await messages()).length).toBe(VOICEMAIL_LIMITS.maxMessages)
    expect(PROMPT_TEXT.boxFull).toMatch(/full/)
  }, 30_000)
})
