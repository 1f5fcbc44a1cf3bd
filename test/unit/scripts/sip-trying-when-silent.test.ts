/**
 * The build step that sends sip.js's 100 Trying only when the application has not answered the INVITE at once
 * (scripts/sip-trying-when-silent.ts), applied to the sip.js installed here: the unconditional 100 before the
 * handler is gone, the guarded one follows the handler, nothing else changes; a file without the expected places
 * stops the build.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, dirname } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SIP_USER_AGENT_FILE, tryingWhenSilent } from '../../../scripts/sip-trying-when-silent'

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
})
