/** The setup engine: in order, persisted, resumed after a crash at every step, waiting, failing, unplug and replug. */
import { describe, expect, it } from 'vitest'
import {
  type DeviceSetup,
  SETUP_STEPS,
  SetupEngine,
  SetupStepError,
  type SetupStep,
  type StepHandler,
  type StepOutcome
} from '../../../src/main/setup/setup-engine'
import { memoryStore } from '../../../src/main/store/key-value-store'

type Script = Partial<Record<SetupStep, () => Promise<StepOutcome>>>

function engine(store = memoryStore(), script: Script = {}) {
  const ran: SetupStep[] = []
  const seen: DeviceSetup[] = []
  const handlers = Object.fromEntries(
    SETUP_STEPS.map((step) => [
      step,
      (async ({ progress }) => {
        ran.push(step)
        progress({ percent: 50, message: `${step} half way` })
        return (await script[step]?.()) ?? { kind: 'done', message: `${step} ok` }
      }) satisfies StepHandler
    ])
  ) as Record<SetupStep, StepHandler>
  return { e: new SetupEngine(store, handlers, (s) => seen.push(s)), ran, seen, store }
}

describe('the setup engine', () => {
  it('runs every step in order to done, reporting progress', async () => {
    const { e, ran, seen } = engine()
    const s = await e.run('MJ1')
    expect(ran).toEqual([...SETUP_STEPS])
    expect(s).toMatchObject({ status: 'done', step: 'registered', percent: 100 })
    expect(s.results.map((r) => r.step)).toEqual([...SETUP_STEPS])
    expect(seen.some((x) => x.step === 'update' && x.percent === 50 && x.message === 'update half way')).toBe(
      true
    )
    // Done is done: running again does nothing.
    await e.run('MJ1')
    expect(ran).toHaveLength(SETUP_STEPS.length)
  })

  it('gives a second caller during a run the same outcome, and runs each step once', async () => {
    let release: () => void = () => undefined
    const gate = new Promise<void>((r) => (release = r))
    const { e, ran } = engine(memoryStore(), {
      update: async () => (await gate, { kind: 'done', message: 'updated' })
    })
    const first = e.run('MJ9')
    const second = e.run('MJ9')
    release()
    const [a, b] = await Promise.all([first, second])
    expect(a).toEqual(b)
    expect(b.status).toBe('done')
    expect(ran).toEqual([...SETUP_STEPS])
  })

  it.each(SETUP_STEPS.map((s) => [s]))(
    'resumes at %s after a crash during it, without repeating the steps before',
    async (crashAt) => {
      const store = memoryStore()
      const first = engine(store, { [crashAt]: () => new Promise<StepOutcome>(() => undefined) })
      void first.e.run('MJ2').catch((err: unknown) => console.error('first.e.run failed', err)) // never finishes: the process "dies" in this step
      await new Promise((r) => setTimeout(r, 10))
      expect(store.get('setup.devices')).toMatchObject({ MJ2: { step: crashAt, status: 'running' } })
      const second = engine(store)
      const s = await second.e.run('MJ2')
      expect(second.ran).toEqual(SETUP_STEPS.slice(SETUP_STEPS.indexOf(crashAt)))
      expect(s.status).toBe('done')
    }
  )

  it('waits for the person (consent, activation) and continues when asked again', async () => {
    let activated = false
    const { e, ran } = engine(memoryStore(), {
      activate: async () =>
        activated
          ? { kind: 'done', message: 'line active' }
          : { kind: 'waiting', message: 'activate the dongle' }
    })
    expect(await e.run('MJ3')).toMatchObject({
      status: 'waiting',
      step: 'activate',
      message: 'activate the dongle'
    })
    activated = true
    expect(await e.retry('MJ3')).toMatchObject({ status: 'done' })
    expect(ran.filter((s) => s === 'activate')).toHaveLength(2)
  })

  it('records a failure with its code and runs that step again on retry', async () => {
    let broken = true
    const { e } = engine(memoryStore(), {
      update: async () => {
        if (broken)
          throw new SetupStepError('hash-mismatch', 'the firmware does not match its signed SHA-256')
        return { kind: 'skipped', message: 'up to date' }
      }
    })
    expect(await e.run('MJ4')).toMatchObject({
      status: 'failed',
      step: 'update',
      error: { code: 'hash-mismatch', message: 'the firmware does not match its signed SHA-256' }
    })
    broken = false
    const done = await e.retry('MJ4')
    expect(done.status).toBe('done')
    expect(done.results.find((r) => r.step === 'update')).toEqual({
      step: 'update',
      outcome: 'skipped',
      message: 'up to date'
    })
  })

  it('waits when the dongle is unplugged mid-step and resumes that step on replug', async () => {
    let release: () => void = () => undefined
    let calls = 0
    const { e } = engine(memoryStore(), {
      initialise: () => {
        calls++
        return calls === 1
          ? new Promise<StepOutcome>((r) => (release = () => r({ kind: 'done', message: 'ok' })))
          : Promise.resolve({ kind: 'done', message: 'ok' })
      }
    })
    const running = e.run('MJ5')
    await new Promise((r) => setTimeout(r, 10))
    e.unplug('MJ5')
    release()
    expect(await running).toMatchObject({
      status: 'waiting',
      step: 'initialise',
      message: expect.stringMatching(/unplugged/),
      unplugged: true
    })
    expect(await e.run('MJ5')).toMatchObject({ status: 'done', unplugged: false })
    expect(calls).toBe(2)
  })

  it('waits rather than fails when the step broke because the dongle went away', async () => {
    let fail: (e: Error) => void = () => undefined
    let calls = 0
    const { e } = engine(memoryStore(), {
      update: () => {
        calls++
        return calls === 1
          ? new Promise<StepOutcome>((_, reject) => (fail = reject))
          : Promise.resolve({ kind: 'done', message: 'firmware 1.2.0' })
      }
    })
    const running = e.run('MJ6')
    await new Promise((r) => setTimeout(r, 10))
    e.unplug('MJ6')
    fail(new SetupStepError('device-gone', 'the dongle stopped answering'))
    expect(await running).toMatchObject({ status: 'waiting', step: 'update', error: null })
    expect(await e.run('MJ6')).toMatchObject({ status: 'done' })
    expect(calls).toBe(2)
  })

  it('keeps devices apart and starts over on reset', async () => {
    const { e } = engine()
    await e.run('A')
    expect(e.get('B')).toBeNull()
    e.reset('A')
    expect(e.get('A')).toBeNull()
  })
})
