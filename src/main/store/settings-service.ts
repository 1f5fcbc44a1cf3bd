/**
 * The person's settings: read with defaults filled in, changed only by a patch that validates whole.
 * A stored value that no longer validates (an older version, a hand edit) falls back to its default field
 * by field, so one bad key never resets the rest.
 * Read from the store and validated once, then kept: the phone reads them on every ring (the tone plan) and every
 * call (electron-store and conf read and parse their whole file on each get, and the field-by-field validation came
 * after), on the way from an incoming INVITE to its 180 and 200 (docs/benchmarks.md, "INVITE -> 200"). This service
 * is the settings' only writer, so what set() stores is what the next get() answers; each get() hands out a copy of
 * its own (every field is a plain value), so no caller can change what the next one reads.
 */
import {
  DEFAULT_SETTINGS,
  settingsPatchSchema,
  settingsSchema,
  type Settings,
  type SettingsPatch
} from '../../shared/settings'
import { parseOrThrow } from '../../shared/ipc/validate'
import { storeError } from './store-error'
import type { EventBus } from '../ipc/event-bus'
import type { KeyValueStore } from './key-value-store'

const KEY = 'settings'

export class SettingsService {
  private readonly defaults: Settings
  /** The validated settings as last read or written; null until the first read. */
  private current: Settings | null = null

  /** `defaults` overrides the built-in defaults for this installation (validated: a bad one is refused). */
  constructor(
    private readonly store: KeyValueStore,
    private readonly events: EventBus,
    defaults: Partial<Settings> = {}
  ) {
    this.defaults = parseOrThrow(settingsSchema, { ...DEFAULT_SETTINGS, ...defaults }, 'bad default settings')
  }

  get(): Settings {
    this.current ??= this.read()
    return { ...this.current }
  }

  private read(): Settings {
    const stored = this.store.get(KEY)
    const raw = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {}
    const out: Record<string, unknown> = { ...this.defaults }
    for (const key of Object.keys(this.defaults) as (keyof Settings)[]) {
      const field = settingsSchema.shape[key].safeParse(raw[key])
      if (field.success) out[key] = field.data
    }
    return settingsSchema.parse(out)
  }

  set(patch: SettingsPatch): Settings {
    const checked = parseOrThrow(settingsPatchSchema, patch, 'bad settings change')
    const next = parseOrThrow(settingsSchema, { ...this.get(), ...checked }, 'bad settings change')
    try {
      this.store.set(KEY, next)
    } catch (err) {
      throw storeError('the settings could not be saved', err)
    }
    this.current = next
    this.events.emit('app.settingsChanged', { ...next })
    return { ...next }
  }
}
