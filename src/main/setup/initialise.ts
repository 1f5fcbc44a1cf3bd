/**
 * The setup's "initialise" step: the per-model checks after an update, each reported as it runs and listed in
 * the outcome: line power on (dongles that switch it), a short ring test (dongles with a ringer), the volume
 * (no catalogued model exposes one yet: said so, not pretended), and the audio check, which asks the renderer's
 * MediaEngine whether the dongle's microphone and speaker are among the computer's sound devices (matched by
 * USB ids). A dongle without an audio interface, or no open window to check with, is reported as such.
 */
import type { Device } from '../../shared/ipc/device'
import type { MediaStatus } from '../../shared/ipc/media'
import type { StepOutcome } from './setup-engine'

export interface InitialisePorts {
  readonly linePower: (id: string, on: boolean) => Promise<void>
  readonly ring: (id: string, on: boolean) => Promise<void>
  readonly media: () => MediaStatus
  readonly wait?: (ms: number) => Promise<void>
}

const RING_TEST_MS = 800

export async function initialise(
  p: InitialisePorts,
  d: Device,
  progress: (p: { message: string }) => void
): Promise<StepOutcome> {
  const done: string[] = []
  const wait = p.wait ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  if (d.capabilities?.linePower) {
    progress({ message: 'powering the phone line' })
    await p.linePower(d.id, true)
    done.push('line power on')
  }
  if (d.capabilities?.ring) {
    progress({ message: 'ring test: the phone should ring once' })
    await p.ring(d.id, true)
    await wait(RING_TEST_MS)
    await p.ring(d.id, false)
    done.push('ring test sent')
  }
  done.push('volume: not adjustable on this model')
  done.push(audioCheck(d, p.media()))
  return { kind: 'done', message: done.join('; ') }
}

function audioCheck(d: Device, media: MediaStatus): string {
  if (!d.interfaces.audio)
    return 'audio: this dongle has no sound interface of its own; calls use the computer’s'
  const r = media.report
  if (!media.engineId || !r)
    return 'audio: open the Dialtone window to check the dongle’s microphone and speaker'
  if (r.dongleAudio)
    return `audio: found the dongle’s microphone (${r.input ?? '?'}) and speaker (${r.output ?? '?'})`
  return 'audio: the dongle’s sound device is not among the computer’s; calls use the computer’s audio'
}
