/**
 * Voicemail over the account API (issue 23), on SQLite and PostgreSQL: the owner lists a line's messages
 * (caller, time, length, heard), fetches one's audio, marks it heard and deletes it; another account's line or
 * message ids answer not-found and change nothing; a greeting sent from the computer is stored, while silence,
 * a greeting over the limit and something that is not audio are refused in words (reason codes) and change
 * nothing; the box says when it is full; old messages go; closing the line removes its box.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VoicemailBoxView } from '../../../src/shared/api/voicemail'
import { closeLine } from '../../../src/server/provisioning/lines'
import { VOICEMAIL_LIMITS } from '../../../src/server/voicemail/limits'
import { saveMessage } from '../../../src/server/voicemail/store'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { type TrialLine, trialLine } from '../../support/service-flows'

const dir = mkdtempSync(join(tmpdir(), 'dialtone-vm-api-'))
function wav(name: string, seconds: number, hz: number | null, rate = 48000): string {
  const file = join(dir, `${name}.wav`)
  const synth = hz === null ? ['trim', '0', String(seconds)] : ['synth', String(seconds), 'sine', String(hz)]
  const r = spawnSync('sox', ['-n', '-r', String(rate), '-c', '1', '-b', '16', file, ...synth])
  if (r.status !== 0) throw new Error(r.stderr.toString())
  return readFileSync(file).toString('base64')
}

describe.each(BACKENDS)('voicemail API on %s', (backend) => {
  let svc: TestService
  let owner: TrialLine
  let stranger: TrialLine
  beforeAll(async () => {
    svc = await startTestService(backend)
    owner = await trialLine(svc)
    stranger = await trialLine(svc)
  })
  afterAll(() => svc.close())

  const box = async (line: TrialLine, token = line.token) =>
    svc.api<VoicemailBoxView & { error?: { reason: string } }>(
      'GET',
      `/v1/lines/${line.lineId}/voicemail`,
      undefined,
      token
    )
  const leave = (line: TrialLine, caller: string, audio = Buffer.from(wav('msg', 1, 700, 8000), 'base64')) =>
    saveMessage(
      svc.service.ctx,
      { lineId: line.lineId, accountId: line.accountId, box: 'unused' },
      { caller, callerName: null, reason: 'no-answer', durationMs: 1000, audio }
    )

  it('lists, plays, marks heard and deletes the owner’s messages; nobody else reaches them', async () => {
    expect((await box(owner)).body).toMatchObject({ messages: [], greeting: null, full: false })
    const first = await leave(owner, '+12125550142')
    svc.clock.advance(60_000)
    const second = await leave(owner, 'anonymous')
    const list = (await box(owner)).body.messages
    expect(list.map((m) => [m.id, m.caller, m.heard, m.durationMs])).toEqual([
      [first, '+12125550142', false, 1000],
      [second, 'anonymous', false, 1000]
    ])
    const audio = await svc.api<{ mimeType: string; audio: string }>(
      'GET',
      `/v1/lines/${owner.lineId}/voicemail/messages/${first}/audio`,
      undefined,
      owner.token
    )
    expect(audio.status).toBe(200)
    expect(Buffer.from(audio.body.audio, 'base64').toString('ascii', 0, 4)).toBe('RIFF')

    // Another account: its own line with the owner's message id, or the owner's line: not found, nothing changes.
    for (const [lineId, token] of [
      [stranger.lineId, stranger.token],
      [owner.lineId, stranger.token]
    ] as const) {
      for (const [method, path] of [
        ['GET', `/v1/lines/${lineId}/voicemail/messages/${first}/audio`],
        ['POST', `/v1/lines/${lineId}/voicemail/messages/${first}/heard`],
        ['DELETE', `/v1/lines/${lineId}/voicemail/messages/${first}`]
      ] as const) {
        const r = await svc.api<{ error: { code: string } }>(method, path, undefined, token)
        expect(r.status, `${method} ${path}`).toBe(404)
      }
    }
    expect((await box(owner, stranger.token)).status).toBe(404)
    expect((await box(owner)).body.messages.every((m) => !m.heard)).toBe(true)

    const heard = await svc.api(
      'POST',
      `/v1/lines/${owner.lineId}/voicemail/messages/${first}/heard`,
      undefined,
      owner.token
    )
    expect(heard.status).toBe(200)
    const del = await svc.api(
      'DELETE',
      `/v1/lines/${owner.lineId}/voicemail/messages/${second}`,
      undefined,
      owner.token
    )
    expect(del.status).toBe(200)
    expect((await box(owner)).body.messages.map((m) => [m.id, m.heard])).toEqual([[first, true]])
    const again = await svc.api<{ error: { reason: string } }>(
      'DELETE',
      `/v1/lines/${owner.lineId}/voicemail/messages/${second}`,
      undefined,
      owner.token
    )
    expect(again.status).toBe(404)
    expect(again.body.error.reason).toBe('voicemail-message-not-found')
  })

  it('keeps a greeting from the computer and refuses silence, one too long, or no audio, changing nothing', async () => {
    const put = (audio: string) =>
      svc.api<{ durationMs: number; error?: { reason: string; params?: { maxS: number } } }>(
        'PUT',
        `/v1/lines/${owner.lineId}/voicemail/greeting`,
        { audio },
        owner.token
      )
    const ok = await put(wav('greeting', 3, 440, 8000))
    expect(ok.status, JSON.stringify(ok.body)).toBe(200)
    expect(ok.body.durationMs).toBeGreaterThan(2900)
    const stored = (await box(owner)).body.greeting
    const silent = await put(wav('silent', 3, null, 8000))
    expect([silent.status, silent.body.error?.reason]).toEqual([400, 'greeting-silent'])
    const long = await put(wav('long', VOICEMAIL_LIMITS.maxGreetingS + 2, 440, 8000))
    expect([long.status, long.body.error?.reason, long.body.error?.params?.maxS]).toEqual([
      400,
      'greeting-too-long',
      VOICEMAIL_LIMITS.maxGreetingS
    ])
    // A small file whose header says 1 sample a second: 40 KB of it is 11 hours, 640 MB at the stored rate. It is
    // refused as too long without being converted whole (which took seconds and wrote the 640 MB to disk).
    const header = Buffer.alloc(44)
    header.write('RIFF', 0, 'ascii')
    header.writeUInt32LE(36 + 40_000, 4)
    header.write('WAVEfmt ', 8, 'ascii')
    header.writeUInt32LE(16, 16)
    header.writeUInt16LE(1, 20) // PCM
    header.writeUInt16LE(1, 22) // mono
    header.writeUInt32LE(1, 24) // 1 Hz
    header.writeUInt32LE(1, 28)
    header.writeUInt16LE(1, 32)
    header.writeUInt16LE(8, 34)
    header.write('data', 36, 'ascii')
    header.writeUInt32LE(40_000, 40)
    const samples = Buffer.from(Array.from({ length: 40_000 }, (_, i) => (i * 37) % 256))
    const t0 = Date.now()
    const stretched = await put(Buffer.concat([header, samples]).toString('base64'))
    expect([stretched.status, stretched.body.error?.reason]).toEqual([400, 'greeting-too-long'])
    expect(Date.now() - t0).toBeLessThan(2000)
    const junk = await put(Buffer.from('not a wav file at all, just words '.repeat(5)).toString('base64'))
    expect([junk.status, junk.body.error?.reason]).toEqual([400, 'greeting-unreadable'])
    expect((await box(owner)).body.greeting).toEqual(stored)
    const audio = await svc.api<{ audio: string }>(
      'GET',
      `/v1/lines/${owner.lineId}/voicemail/greeting`,
      undefined,
      owner.token
    )
    expect(Buffer.from(audio.body.audio, 'base64').length).toBeGreaterThan(40_000)
    expect(
      (
        await svc.api(
          'PUT',
          `/v1/lines/${owner.lineId}/voicemail/greeting`,
          { audio: wav('g2', 2, 440, 8000) },
          stranger.token
        )
      ).status
    ).toBe(404)
    expect(
      (await svc.api('DELETE', `/v1/lines/${owner.lineId}/voicemail/greeting`, undefined, owner.token)).status
    ).toBe(200)
    expect((await box(owner)).body.greeting).toBeNull()
  })

  it('says when the box is full, drops messages past the age limit, and empties the box when the line closes', async () => {
    const have = (await box(owner)).body.messages.length
    for (let i = have; i < VOICEMAIL_LIMITS.maxMessages; i++) await leave(owner, '+12125550100')
    expect((await box(owner)).body.full).toBe(true)
    // Every message so far is now older than the age limit (the session would not live that long on the clock).
    const old = new Date(Date.now() - (VOICEMAIL_LIMITS.maxAgeDays + 1) * 86_400_000).toISOString()
    await svc.service.ctx.db
      .updateTable('voicemail_messages')
      .set({ received_at: old })
      .where('line_id', '=', owner.lineId)
      .execute()
    await leave(owner, '+12125550101')
    const nowRes = await box(owner)
    expect(nowRes.status, JSON.stringify(nowRes.body)).toBe(200)
    const now = nowRes.body
    expect(now.messages.map((m) => m.caller)).toEqual(['+12125550101'])
    expect(now.full).toBe(false)
    await closeLine(svc.service.ctx, owner.lineId)
    const left = await svc.service.ctx.db
      .selectFrom('voicemail_messages')
      .select('id')
      .where('line_id', '=', owner.lineId)
      .execute()
    expect(left).toEqual([])
  })
})
