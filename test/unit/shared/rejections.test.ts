/**
 * The unhandled-rejection net the three hosts install (src/shared/rejections.ts): one log line with the error and
 * its stack, secrets masked, nothing but the message and stack of the error; and a real Node process that installs
 * it logs the rejection and keeps running instead of dying.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { describeRejection, logUnhandledRejections, maskSecrets } from '../../../src/shared/rejections'

const root = join(import.meta.dirname, '../../..')

describe('the unhandled-rejection log', () => {
  it('masks what looks like a secret', () => {
    const text = maskSecrets(
      'GET /v1/lines?token=abc123&x=1 Authorization: Bearer dts_SeCrEt-123 ' +
        '{"password":"hunter22","sipPassword":"p4ss","name":"Ann"} wss://alice:pw@sip.example:5066 sip:bob:pw2@host'
    )
    for (const secret of ['abc123', 'SeCrEt', 'hunter22', 'p4ss', ':pw@', 'pw2'])
      expect(text).not.toContain(secret)
    expect(text).toContain('"name":"Ann"')
    expect(text).toContain('token=[secret]&x=1')
  })

  it('writes the message and stack of an Error, never its other fields', () => {
    const err = Object.assign(new Error('the service refused dts_abcdefgh'), { body: { card: '4242' } })
    const line = describeRejection(err)
    expect(line).toMatch(/^Error: the service refused dts_\[secret\]\n\s+at /)
    expect(line).not.toContain('4242')
    expect(describeRejection({ password: 'x' })).toBe('a value that is not an Error (object)')
    expect(describeRejection(null)).toBe('a value that is not an Error (null)')
  })

  it('logs each rejection the source reports', () => {
    const source = new EventEmitter()
    const lines: string[] = []
    logUnhandledRejections(source, (l) => lines.push(l))
    source.emit('unhandledRejection', new TypeError('lost Bearer tok'))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^a promise failed with nobody handling it: TypeError: lost Bearer \[secret\]/)
  })

  it('keeps a real process running and logs the rejection once installed', () => {
    const script = [
      "const { logUnhandledRejections } = await import('./src/shared/rejections.ts')",
      'logUnhandledRejections(process, (line) => console.error(line))',
      "void Promise.reject(new Error('nobody waits for dts_topsecret'))",
      "setTimeout(() => console.log('still running'), 50)"
    ].join('\n')
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8'
    })
    expect(run.status).toBe(0)
    expect(run.stdout).toContain('still running')
    expect(run.stderr).toContain(
      'a promise failed with nobody handling it: Error: nobody waits for dts_[secret]'
    )
    expect(run.stderr).not.toContain('topsecret')
  })

  it('without it, the same rejection ends the process (what the net is for)', () => {
    const script =
      "void Promise.reject(new Error('boom'))\nsetTimeout(() => console.log('still running'), 50)"
    expect(() =>
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, stdio: 'pipe' })
    ).toThrow()
  })
})
