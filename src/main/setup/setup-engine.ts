/**
 * The setup engine: per device, the steps between "plugged in" and "ready" — detect, power check, permissions,
 * update, initialise, activate, registered — run in order by step handlers the host provides. The state is saved
 * in the store before and after every step, so a restart, an unplug or a crash resumes at the step that had not
 * finished (handlers are idempotent: a step cut short simply runs again). A handler may finish its step, skip it,
 * or wait for something outside (the person's consent, an activation, the dongle coming back); a failure records
 * a code and a sentence, and `retry` runs that step again. Progress goes out as events (step, percent, bytes,
 * message). Written by hand: a seven-step resumable pipeline is smaller than any workflow library's setup.
 */
import type { VerdictCode } from '../../shared/diagnostics/verdicts'
import { SETUP_STEP_NAMES, type SetupFailureCode } from '../../shared/ipc/setup'
import type { KeyValueStore } from '../store/key-value-store'

/** The steps, in order: the contract's list, so the engine and the renderer cannot disagree. */
export const SETUP_STEPS = SETUP_STEP_NAMES
export type SetupStep = (typeof SETUP_STEPS)[number]

export interface StepProgress {
  readonly percent?: number
  readonly bytes?: number
  readonly message?: string
}

export type StepOutcome =
  | { readonly kind: 'done'; readonly message: string }
  | { readonly kind: 'skipped'; readonly message: string }
  | { readonly kind: 'waiting'; readonly message: string; readonly verdict?: VerdictCode }

export class SetupStepError extends Error {
  constructor(
    readonly code: SetupFailureCode,
    message: string
  ) {
    super(message)
    this.name = 'SetupStepError'
  }
}

export type StepHandler = (ctx: {
  deviceKey: string
  progress: (p: StepProgress) => void
}) => Promise<StepOutcome>

export interface DeviceSetup {
  readonly deviceKey: string
  readonly step: SetupStep
  readonly status: 'running' | 'waiting' | 'failed' | 'done'
  readonly message: string | null
  readonly error: { readonly code: string; readonly message: string } | null
  readonly percent: number | null
  readonly bytes: number | null
  /** Waiting because the dongle went away (the screen says "plug it back in" even with no dongle to show). */
  readonly unplugged?: boolean
  /** The diagnostics verdict the step waits on (the power step: a port that cannot run the dongle). */
  readonly verdict?: VerdictCode | null
  /** Each finished step with how it ended. */
  readonly results: readonly {
    readonly step: SetupStep
    readonly outcome: 'done' | 'skipped'
    readonly message: string
  }[]
  readonly updatedAt: string
}

const KEY = 'setup.devices'
const UNPLUGGED = 'the dongle was unplugged; plug it back in to continue'

export class SetupEngine {
  private readonly running = new Map<string, Promise<DeviceSetup>>()
  private readonly unplugged = new Set<string>()

  constructor(
    private readonly store: KeyValueStore,
    private readonly handlers: Record<SetupStep, StepHandler>,
    private readonly onChange: (s: DeviceSetup) => void,
    private readonly now: () => Date = () => new Date()
  ) {}

  private all(): Record<string, DeviceSetup> {
    const raw = this.store.get(KEY)
    return raw && typeof raw === 'object' ? (raw as Record<string, DeviceSetup>) : {}
  }

  /** Every device whose setup finished (dongles set up on this computer). */
  finished(): string[] {
    return Object.values(this.all())
      .filter((s) => s.status === 'done')
      .map((s) => s.deviceKey)
  }

  get(deviceKey: string): DeviceSetup | null {
    return this.all()[deviceKey] ?? null
  }

  private save(s: DeviceSetup): DeviceSetup {
    this.store.set(KEY, { ...this.all(), [s.deviceKey]: s })
    this.onChange(s)
    return s
  }

  private update(deviceKey: string, patch: Partial<DeviceSetup>): DeviceSetup {
    const current = this.get(deviceKey)
    if (!current) throw new Error(`no setup for ${deviceKey}`)
    return this.save({
      ...current,
      unplugged: false,
      verdict: null,
      ...patch,
      updatedAt: this.now().toISOString()
    })
  }

  private waitForDongle(deviceKey: string): DeviceSetup {
    return this.update(deviceKey, { status: 'waiting', message: UNPLUGGED, unplugged: true })
  }

  /**
   * Starts a device's setup, or resumes it where it stopped (after a restart, a crash or a replug). A second
   * caller while it runs (the window and main's own resume) gets the same run's outcome, not a snapshot.
   */
  run(deviceKey: string): Promise<DeviceSetup> {
    this.unplugged.delete(deviceKey)
    const inFlight = this.running.get(deviceKey)
    if (inFlight) return inFlight
    const run = this.runSteps(deviceKey).finally(() => this.running.delete(deviceKey))
    this.running.set(deviceKey, run)
    return run
  }

  private async runSteps(deviceKey: string): Promise<DeviceSetup> {
    const existing = this.get(deviceKey)
    if (!existing)
      this.save({
        deviceKey,
        step: 'detect',
        status: 'running',
        message: null,
        error: null,
        percent: null,
        bytes: null,
        results: [],
        updatedAt: this.now().toISOString()
      })
    else if (existing.status === 'done') return existing
    for (;;) {
      const s = this.get(deviceKey) as DeviceSetup
      if (this.unplugged.has(deviceKey)) return this.waitForDongle(deviceKey)
      this.update(deviceKey, { status: 'running', error: null, message: null, percent: null, bytes: null })
      let outcome: StepOutcome
      try {
        outcome = await this.handlers[s.step]({
          deviceKey,
          progress: (p) =>
            this.update(deviceKey, {
              percent: p.percent ?? null,
              bytes: p.bytes ?? null,
              message: p.message ?? null
            })
        })
      } catch (err) {
        // A step cut short by the unplug itself (the write to a vanished device failed) is not a failure.
        if (this.unplugged.has(deviceKey)) return this.waitForDongle(deviceKey)
        const e =
          err instanceof SetupStepError
            ? err
            : new SetupStepError('internal', err instanceof Error ? err.message : String(err))
        return this.update(deviceKey, { status: 'failed', error: { code: e.code, message: e.message } })
      }
      if (this.unplugged.has(deviceKey)) return this.waitForDongle(deviceKey)
      if (outcome.kind === 'waiting')
        return this.update(deviceKey, {
          status: 'waiting',
          message: outcome.message,
          verdict: outcome.verdict ?? null
        })
      const results = [
        ...s.results.filter((r) => r.step !== s.step),
        { step: s.step, outcome: outcome.kind, message: outcome.message }
      ]
      const next = SETUP_STEPS[SETUP_STEPS.indexOf(s.step) + 1]
      if (!next)
        return this.update(deviceKey, { status: 'done', results, message: outcome.message, percent: 100 })
      this.update(deviceKey, { step: next, results, message: outcome.message })
    }
  }

  /** The dongle went away: the step in progress stops at its next checkpoint and the setup waits. */
  unplug(deviceKey: string): void {
    this.unplugged.add(deviceKey)
    const s = this.get(deviceKey)
    if (s && s.status !== 'done' && !this.running.has(deviceKey)) this.waitForDongle(deviceKey)
  }

  /** Runs the failed or waiting step again. */
  retry(deviceKey: string): Promise<DeviceSetup> {
    return this.run(deviceKey)
  }

  /** Starts over (a dongle handed to someone else, or the person asks). */
  reset(deviceKey: string): void {
    const all = this.all()
    delete all[deviceKey]
    this.store.set(KEY, all)
  }
}
