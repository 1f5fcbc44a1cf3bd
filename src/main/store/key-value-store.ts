/**
 * The persistence seam for main: the part of the conf API that both conf (plain Node) and electron-store
 * (Electron, which wraps conf) offer. Both write atomically, so a crash mid-write leaves the old file.
 */
export interface KeyValueStore {
  get(key: string): unknown
  set(key: string, value: unknown): void
  delete(key: string): void
}

/** An in-memory store for tests that do not care about the file. */
export function memoryStore(initial: Record<string, unknown> = {}): KeyValueStore {
  const data = new Map(Object.entries(initial))
  return {
    get: (k) => data.get(k),
    set: (k, v) => void data.set(k, structuredClone(v)),
    delete: (k) => void data.delete(k)
  }
}
