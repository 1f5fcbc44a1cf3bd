/** The KeyValueStore for plain Node (web host, CLI, tests): conf, the library electron-store is built on. */
import Conf from 'conf'
import type { KeyValueStore } from './key-value-store'

export function createConfStore(dataDir: string, name = 'settings'): KeyValueStore {
  const conf = new Conf<Record<string, unknown>>({
    cwd: dataDir,
    configName: name,
    projectName: 'dialtone',
    projectVersion: '0',
    // Values are validated by the services that own them, so a corrupt file must not take the app down.
    clearInvalidConfig: true
  })
  return {
    get: (k) => conf.get(k),
    set: (k, v) => conf.set(k, v),
    delete: (k) => conf.delete(k)
  }
}
