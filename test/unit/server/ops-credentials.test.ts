/**
 * dialtone-ops's own files (session, device tokens): written whole or not at all, private, and a file cut short
 * (by a crash before writes were atomic, or by hand) reads as no session rather than failing every command.
 */
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  loadDeviceToken,
  loadSession,
  saveDeviceToken,
  saveSession
} from '../../../src/server/ops/cli/credentials'

const home = () => ({ DIALTONE_OPS_HOME: mkdtempSync(join(tmpdir(), 'ops-home-')) })
const session = {
  url: 'http://127.0.0.1:1',
  token: 'dto_x',
  expiresAt: '2026-12-06T08:00:00.000Z',
  email: 'a@b.c'
}

describe('ops credentials', () => {
  it('writes each file whole and private, with nothing left beside it', () => {
    const env = home()
    const path = saveSession(env, session)
    saveDeviceToken(env, session.url, session.email, 'dtd_one')
    saveDeviceToken(env, session.url, 'other@b.c', 'dtd_two')
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(readdirSync(env.DIALTONE_OPS_HOME).sort()).toEqual(['device-tokens.json', 'session.json'])
    expect(loadSession(env)).toEqual(session)
    expect(loadDeviceToken(env, session.url, 'A@B.C')).toBe('dtd_one')
    expect(loadDeviceToken(env, session.url, 'other@b.c')).toBe('dtd_two')
  })

  it('reads a file cut short as nothing kept, and writes over it', () => {
    const env = home()
    const path = saveSession(env, session)
    writeFileSync(path, '{"url": "http://127.0.0.1:1", "tok', { mode: 0o600 })
    expect(loadSession(env)).toBeNull()
    writeFileSync(join(env.DIALTONE_OPS_HOME, 'device-tokens.json'), '{"x', { mode: 0o600 })
    expect(loadDeviceToken(env, session.url, session.email)).toBeUndefined()
    saveDeviceToken(env, session.url, session.email, 'dtd_new')
    expect(loadDeviceToken(env, session.url, session.email)).toBe('dtd_new')
  })
})
