import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createLogger } from '../../../src/main/log/logger'

describe('the logger', () => {
  it('never writes a secret, at any depth we log', () => {
    const lines: string[] = []
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) })
    const log = createLogger({ level: 'info', destination: sink })
    log.info({ password: 'hunter2', user: { token: 'tok-123', name: 'ana' } }, 'sign in')
    log.info({ req: { headers: { authorization: 'Bearer abc' } }, line: { sip: { ha1: 'deadbeef' } } }, 'x')
    const out = lines.join('')
    for (const secret of ['hunter2', 'tok-123', 'Bearer abc', 'deadbeef']) expect(out).not.toContain(secret)
    expect(out).toContain('"name":"ana"')
    expect(out).toContain('[redacted]')
  })
})
