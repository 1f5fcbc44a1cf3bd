/**
 * A full disk under the app's store, for real: a private mount namespace (`unshare -rm`) gives the child a
 * 64 KiB tmpfs as its data folder, which it fills. Changing a setting must then fail with a clear UNAVAILABLE
 * ("the disk is full (ENOSPC); nothing was changed"), the stored settings must be the old ones, whole, and the
 * app must keep answering.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

describe('a full disk under the store', () => {
  it('refuses the change clearly, keeps the old settings whole, and keeps running', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dialtone-full-'))
    const child = join(import.meta.dirname, '../support/disk-full-child.ts')
    const r = spawnSync(
      'unshare',
      [
        '-rm',
        'sh',
        '-c',
        `mount -t tmpfs -o size=64k tmpfs '${dir}' && exec node --import tsx '${child}' '${dir}'`
      ],
      { encoding: 'utf8', timeout: 60_000 }
    )
    expect(r.status, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}')
    expect(out.refused).toEqual({
      code: 'UNAVAILABLE',
      message: 'the settings could not be saved: the disk is full (ENOSPC); nothing was changed'
    })
    expect(out.after).toMatchObject({ theme: 'dark', tonePlan: 'us' })
    expect(out.stillAnswering).toBe(true)
  })
})
