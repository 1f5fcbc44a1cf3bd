/** The KeyValueStore in Electron: electron-store, which keeps its file in the app's userData folder. */
import ElectronStore from 'electron-store'
import type { KeyValueStore } from '../store/key-value-store'

export function createElectronStore(name: string): KeyValueStore {
  const store = new ElectronStore<Record<string, unknown>>({ name, clearInvalidConfig: true })
  return {
    get: (k) => store.get(k),
    set: (k, v) => store.set(k, v),
    delete: (k) => store.delete(k)
  }
}
