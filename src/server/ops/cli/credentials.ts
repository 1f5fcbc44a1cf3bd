/**
 * Where `dialtone-ops` keeps what signs it in: the operator's session (from `login`) in
 * $DIALTONE_OPS_HOME/session.json (default ~/.config/dialtone-ops), the sign-in's device tokens beside it in
 * device-tokens.json, or a partner's API key in a file named by
 * --api-key-file / DIALTONE_OPS_API_KEY_FILE. Both must be readable by the user alone: the session file is written
 * 0600 in a 0700 directory, and a file that others can read is refused rather than used.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { UsageError } from './args'

export interface StoredSession {
  readonly url: string
  readonly token: string
  readonly expiresAt: string
  readonly email: string
}

export function opsHome(env: NodeJS.ProcessEnv): string {
  if (env.DIALTONE_OPS_HOME) return env.DIALTONE_OPS_HOME
  const base = env.XDG_CONFIG_HOME ?? join(homedir(), '.config')
  return join(base, 'dialtone-ops')
}

const sessionFile = (env: NodeJS.ProcessEnv) => join(opsHome(env), 'session.json')

/** Refuses a secret file that anyone but its owner could read (POSIX modes; Windows has none to check). */
export function assertPrivate(path: string): void {
  if (process.platform === 'win32') return
  const mode = statSync(path).mode & 0o777
  if ((mode & 0o077) !== 0)
    throw new UsageError(`${path} can be read by others (mode ${mode.toString(8)}); run: chmod 600 ${path}`)
}

/**
 * Written whole or not at all: to a private file beside it, then renamed over it (a crash or a full disk in the
 * middle leaves the old file, not half a session that every command would then fail to read).
 */
export function writePrivate(path: string, content: string): void {
  const partial = `${path}.${process.pid}.tmp`
  try {
    writeFileSync(partial, content, { mode: 0o600 })
    chmodSync(partial, 0o600) // a leftover from a crash keeps its old mode through writeFileSync
    renameSync(partial, path)
  } finally {
    rmSync(partial, { force: true })
  }
}

/** A JSON file of ours, or null when it is not one (cut short by a crash before writes were atomic, or edited). */
function readJson(path: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(readFileSync(path, 'utf8'))
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null
  } catch {
    return null
  }
}

export function saveSession(env: NodeJS.ProcessEnv, s: StoredSession): string {
  const dir = opsHome(env)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  chmodSync(dir, 0o700)
  const path = sessionFile(env)
  writePrivate(path, JSON.stringify(s, null, 2) + '\n')
  return path
}

export function loadSession(env: NodeJS.ProcessEnv): StoredSession | null {
  const path = sessionFile(env)
  if (!existsSync(path)) return null
  assertPrivate(path)
  // Unreadable: no session (login writes a new one) rather than every command failing on it.
  const s = (readJson(path) ?? {}) as Partial<StoredSession>
  if (typeof s.token !== 'string' || typeof s.url !== 'string') return null
  return s as StoredSession
}

export function forgetSession(env: NodeJS.ProcessEnv): void {
  rmSync(sessionFile(env), { force: true })
}

const devicesFile = (env: NodeJS.ProcessEnv) => join(opsHome(env), 'device-tokens.json')
const deviceKey = (url: string, email: string) => `${url} ${email.toLowerCase()}`

/**
 * The device token the service gave this CLI at its last sign-in as `email` on `url` (kept after logout: it says
 * "this CLI signed in as this operator before", so its attempts are throttled apart from strangers').
 */
export function loadDeviceToken(env: NodeJS.ProcessEnv, url: string, email: string): string | undefined {
  const path = devicesFile(env)
  if (!existsSync(path)) return undefined
  assertPrivate(path)
  const token = readJson(path)?.[deviceKey(url, email)]
  return typeof token === 'string' ? token : undefined
}

export function saveDeviceToken(env: NodeJS.ProcessEnv, url: string, email: string, token: string): void {
  const dir = opsHome(env)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  chmodSync(dir, 0o700)
  const path = devicesFile(env)
  const all = existsSync(path) ? (assertPrivate(path), readJson(path) ?? {}) : {}
  writePrivate(path, JSON.stringify({ ...all, [deviceKey(url, email)]: token }, null, 2) + '\n')
}

export function readApiKey(path: string): string {
  assertPrivate(path)
  const key = readFileSync(path, 'utf8').trim()
  if (!/^dtk_[A-Za-z0-9_-]{43}$/.test(key)) throw new UsageError(`${path} does not hold a dtk_… API key`)
  return key
}
