/**
 * Another process holding a SQLite file's write lock, as a second service instance or a backup tool would: for
 * the tests of what the service does with a locked file (db-locked.test.ts, group-commit.test.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process'

/** Another process takes SQLite's write lock (BEGIN IMMEDIATE) and holds it for holdMs. */
export async function holdLock(file: string, holdMs: number): Promise<ChildProcess> {
  const script = `
    const Database = require('better-sqlite3')
    const db = new Database(process.argv[1], { timeout: 5000 })
    db.exec('BEGIN IMMEDIATE')
    process.stdout.write('locked\\n')
    setTimeout(() => { db.exec('ROLLBACK'); db.close(); process.exit(0) }, Number(process.argv[2]))
  `
  const child = spawn(process.execPath, ['-e', script, file, String(holdMs)], {
    stdio: ['ignore', 'pipe', 'inherit']
  })
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve())
    child.once('exit', (code) => reject(new Error(`the lock holder exited ${code}`)))
  })
  return child
}
