/** The initialise step: line power, a ring test, the volume said as it is, and the audio check via the engine. */
import { describe, expect, it } from 'vitest'
import { initialise } from '../../../src/main/setup/initialise'
import type { Device } from '../../../src/shared/ipc/device'
import type { MediaStatus } from '../../../src/shared/ipc/media'

const dongle = (over: { ring?: boolean; linePower?: boolean; audio?: boolean }): Device =>
  ({
    id: '1-1',
    capabilities: {
      hook: true,
      keypad: true,
      flash: true,
      mute: false,
      ring: over.ring ?? true,
      linePower: over.linePower ?? true,
      indicators: []
    },
    interfaces: { audio: over.audio ?? true, hidTelephony: true, storage: false }
  }) as unknown as Device

const report = (dongleAudio: boolean): MediaStatus => ({
  engineId: 'eng_0123456789ab',
  report: {
    engineId: 'eng_0123456789ab',
    input: 'USB Audio Device (06e6:c031)',
    output: 'USB Audio Device (06e6:c031)',
    ringer: null,
    dongleAudio,
    tone: null,
    sessions: []
  },
  pending: 0
})

function run(d: Device, media: MediaStatus) {
  const calls: string[] = []
  const progress: string[] = []
  const outcome = initialise(
    {
      linePower: async (id, on) => void calls.push(`power ${id} ${on}`),
      ring: async (id, on) => void calls.push(`ring ${id} ${on}`),
      media: () => media,
      wait: async (ms) => void calls.push(`wait ${ms}`)
    },
    d,
    (p) => progress.push(p.message)
  )
  return { outcome, calls, progress }
}

describe('initialise', () => {
  it('powers the line, rings once, and finds the dongle’s audio through the engine', async () => {
    const { outcome, calls, progress } = run(dongle({}), report(true))
    expect(await outcome).toEqual({
      kind: 'done',
      message:
        'line power on; ring test sent; volume: not adjustable on this model; audio: found the dongle’s microphone (USB Audio Device (06e6:c031)) and speaker (USB Audio Device (06e6:c031))'
    })
    expect(calls).toEqual(['power 1-1 true', 'ring 1-1 true', 'wait 800', 'ring 1-1 false'])
    expect(progress).toEqual(['powering the phone line', 'ring test: the phone should ring once'])
  })

  it('says when the dongle’s sound device is missing, or when no window can check', async () => {
    expect((await run(dongle({}), report(false)).outcome).message).toContain(
      'audio: the dongle’s sound device is not among the computer’s'
    )
    expect((await run(dongle({}), { engineId: null, report: null, pending: 0 }).outcome).message).toContain(
      'audio: open the Dialtone window'
    )
  })

  it('skips what the model cannot do', async () => {
    const { outcome, calls } = run(dongle({ ring: false, linePower: false, audio: false }), report(false))
    expect(await outcome).toEqual({
      kind: 'done',
      message:
        'volume: not adjustable on this model; audio: this dongle has no sound interface of its own; calls use the computer’s'
    })
    expect(calls).toEqual([])
  })
})
