/**
 * A failed write to the app's own store (a full disk, a read-only or vanished folder) as the person should read
 * it: what could not be saved, why in plain words, and that nothing changed (the stores write atomically: a
 * temporary file renamed over the old one, so a failed write leaves the old file whole).
 */
import { DialtoneError } from '../../shared/ipc/errors'

const WHY: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the disk is read-only',
  EACCES: 'Dialtone may not write to its data folder',
  EPERM: 'Dialtone may not write to its data folder',
  ENOENT: 'the data folder is gone'
}

export function storeError(what: string, err: unknown): DialtoneError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? ''
  const why = WHY[code] ?? (err instanceof Error ? err.message : String(err))
  return new DialtoneError(
    'UNAVAILABLE',
    `${what}: ${why}${code ? ` (${code})` : ''}; nothing was changed`,
    [],
    'storage-failed'
  )
}
