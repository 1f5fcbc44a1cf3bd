/**
 * The virtual dongle's flash in the app's own state (settings.json under the data folder, or electron-store):
 * the firmware version it runs, kept across restarts as a real dongle's flash keeps it. A value that is not a
 * version the firmware protocol can carry (hand-edited, corrupt) reads as a dongle fresh from the factory.
 */
import { FW_VERSION_BYTES } from './drivers/firmware-protocol'
import type { KeyValueStore } from '../store/key-value-store'
import type { VirtualFirmwareStore } from './virtual-tigerjet'

const KEY = 'virtualDongle.firmwareVersion'

/** Printable ASCII that fits the protocol's version field (COMMIT carries it NUL-padded). */
const isVersion = (v: unknown): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= FW_VERSION_BYTES && /^[\x21-\x7e]+$/.test(v)

export function storedFirmware(store: KeyValueStore): VirtualFirmwareStore {
  return {
    load: () => {
      const v = store.get(KEY)
      return isVersion(v) ? v : null
    },
    save: (version) => store.set(KEY, version)
  }
}
