/**
 * The service's SQLite connection checkpoints its WAL at 4000 pages, not SQLite's default 1000 (database.ts,
 * issue 24 goal 8): commits that take the WAL past 1000 pages leave the database file as it was (no checkpoint
 * ran inside them), and one that takes it past 4000 copies the WAL back. Kamailio and the ops CLI read the same
 * file meanwhile: what they read is the same either way, from the WAL or the file.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterEach, expect, it } from 'vitest'
import { WAL_CHECKPOINT_PAGES, openDatabase } from '../../../src/server/db/database'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

it('checkpoints the WAL in a commit only once it has passed 4000 pages', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-wal-'))
  dirs.push(dir)
  const file = join(dir, 'service.db')
  const { db, close } = openDatabase(`sqlite:${file}`)
  try {
    const pragma = await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(db)
    expect(pragma.rows[0]?.wal_autocheckpoint).toBe(WAL_CHECKPOINT_PAGES)
    expect(WAL_CHECKPOINT_PAGES).toBe(4000)
    await sql`CREATE TABLE pad (id INTEGER PRIMARY KEY, v BLOB NOT NULL)`.execute(db)
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db)
    const before = statSync(file).size
    // A row of 3000 bytes fills a leaf page by itself: each commit writes it, the table's root and the file's
    // header (the file grew), 3 pages. 600 commits: some 1800 pages, between the two thresholds.
    for (let i = 0; i < 600; i++) await sql`INSERT INTO pad (v) VALUES (randomblob(3000))`.execute(db)
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(1000 * 4096)
    expect(statSync(file).size, 'no checkpoint ran at 1000 pages').toBe(before)
    for (let i = 0; i < 1500; i++) await sql`INSERT INTO pad (v) VALUES (randomblob(3000))`.execute(db)
    expect(statSync(file).size, 'the checkpoint past 4000 pages').toBeGreaterThan(before + 1000 * 4096)
  } finally {
    await close()
  }
})
