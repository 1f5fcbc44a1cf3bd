/**
 * A greeting sent from the computer (the app records the microphone and sends WAV): read by sox into the stored
 * format, refused in words when it is not audio, silence, or longer than the limit; nothing changes then.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { invalid } from '../http/errors'
import { SILENCE_PEAK, durationMs, levels, normalise } from './audio'
import { VOICEMAIL_LIMITS } from './limits'

export async function checkGreeting(wav: Buffer): Promise<{ durationMs: number; audio: Buffer }> {
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-greeting-'))
  try {
    const input = join(dir, 'in.wav')
    const out = join(dir, 'out.wav')
    writeFileSync(input, wav)
    try {
      // Converted no further than just past the limit: a small file whose header gives a tiny sample rate lasts
      // hours, and converting it whole took seconds of CPU and hundreds of MB of disk per request.
      await normalise(input, out, VOICEMAIL_LIMITS.maxGreetingS + 1)
    } catch {
      throw invalid('audio', 'the greeting is not a WAV file sox can read', 'greeting-unreadable')
    }
    const ms = await durationMs(out)
    if (ms > VOICEMAIL_LIMITS.maxGreetingS * 1000)
      throw invalid(
        'audio',
        `the greeting lasts over ${VOICEMAIL_LIMITS.maxGreetingS} s`,
        'greeting-too-long',
        {
          maxS: VOICEMAIL_LIMITS.maxGreetingS
        }
      )
    if (ms < VOICEMAIL_LIMITS.minGreetingMs || (await levels(out)).peak < SILENCE_PEAK)
      throw invalid('audio', 'the greeting is silence', 'greeting-silent')
    return { durationMs: ms, audio: readFileSync(out) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
