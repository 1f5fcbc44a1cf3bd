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

describe('the logger at a terminal', () => {
  const capture = (isTTY: boolean, env: NodeJS.ProcessEnv = {}) => {
    const lines: string[] = []
    const sink = Object.assign(
      new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }),
      { isTTY }
    )
    return { log: createLogger({ level: 'info', destination: sink, env }), out: () => lines.join('') }
  }

  it('writes lines a person reads at a terminal, secrets still redacted', () => {
    const { log, out } = capture(true)
    log
      .child({ area: 'device' })
      .warn({ err: new Error('USB gone'), password: 'hunter2', port: 3 }, 'rescan failed')
    const text = out()
    expect(text).toMatch(
      /^\[\d\d:\d\d:\d\d\] WARN: device rescan failed \{"password":"\[redacted\]","port":3\}\n/
    )
    expect(text).toContain('"message": "USB gone"')
    expect(text).not.toContain('hunter2')
    expect(text).not.toContain('{"level"')
  })

  it('writes JSON lines when the output is not a terminal, or when DIALTONE_LOG_FORMAT says json', () => {
    for (const { log, out } of [capture(false), capture(true, { DIALTONE_LOG_FORMAT: 'json' })]) {
      log.info({ token: 'tok-1' }, 'hello')
      const entry = JSON.parse(out()) as Record<string, unknown>
      expect(entry).toMatchObject({ level: 30, msg: 'hello', token: '[redacted]' })
    }
    // The dev stack passes the web host's output through a pipe to its terminal, and says so.
    const { log, out } = capture(false, { DIALTONE_LOG_FORMAT: 'pretty' })
    log.info('listening')
    expect(out()).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: listening\n$/)
  })
})
