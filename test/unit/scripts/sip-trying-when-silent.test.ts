/**
 * The build step that sends sip.js's 100 Trying only when the application has not answered the INVITE at once
 * (scripts/sip-trying-when-silent.ts), applied to the sip.js installed here: the unconditional 100 before the
 * handler is gone, the guarded one follows the handler, nothing else changes; a file without the expected places
 * stops the build.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, dirname } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleLikeMain } from '../../../scripts/main-commonjs'
import { SIP_USER_AGENT_FILE, tryingWhenSilent } from '../../../scripts/sip-trying-when-silent'

const root = join(import.meta.dirname, '../../..')
const dir = join(root, 'test-results/sip-trying-when-silent')
const harness = join(dir, 'harness.mjs')
beforeAll(async () => {
  mkdirSync(dir, { recursive: true })
  await bundleLikeMain(join(root, 'test/support/sip-trying-harness.ts'), harness, 'esm')
}, 60_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))
/** The status codes sip.js as main bundles it sent for one INVITE, the application doing `mode`. */
const sentFor = (mode: string): number[] =>
  JSON.parse(execFileSync(process.execPath, [harness, mode], { encoding: 'utf8' }).trim()) as number[]

const sipjs = dirname(createRequire(import.meta.url).resolve('sip.js/package.json'))
const file = join(sipjs, 'lib/api/user-agent.js')
const source = readFileSync(file, 'utf8')

describe('sip-trying-when-silent', () => {
  it("matches sip.js's user-agent.js", () => expect(SIP_USER_AGENT_FILE.test(file)).toBe(true))

  it('moves the 100 Trying after the handler, sent only when the handler sent nothing', () => {
    const out = tryingWhenSilent(source)
    const handler = out.indexOf('this.delegate.onInvite(invitation);\n                    // Dialtone')
    const trying = out.indexOf('incomingInviteRequest.trying();')
    expect(handler).toBeGreaterThan(0)
    expect(trying).toBeGreaterThan(handler)
    expect(out.split('incomingInviteRequest.trying();')).toHaveLength(2)
    expect(out).toContain(
      'if (dialtoneTransaction.state === "Proceeding" && !dialtoneTransaction.lastProvisionalResponse)'
    )
    // Nothing else changed: the source less the one removed line and plus the added ones.
    const removed = out
      .split('\n')
      .filter(
        (l) =>
          !l.includes('Dialtone') && !l.includes('dialtoneTransaction') && !l.includes('has sent nothing')
      )
      .filter((l) => l !== '                        incomingInviteRequest.trying();')
    expect(removed.join('\n')).toBe(source.replace('                incomingInviteRequest.trying();\n', ''))
  })

  it('stops on a sip.js whose file no longer has the expected places', () => {
    expect(() => tryingWhenSilent(source.replace('incomingInviteRequest.trying();', ''))).toThrow(
      /sip-trying-when-silent/
    )
    expect(() => tryingWhenSilent(`${source}\n                incomingInviteRequest.trying();\n`)).toThrow()
  })

  it('in the bundle: no 100 when the handler rings or rejects at once; 100 first when it answers later', () => {
    expect(sentFor('ring')).toEqual([180])
    expect(sentFor('reject')).toEqual([486])
    expect(sentFor('later')).toEqual([100, 180])
  })
})
