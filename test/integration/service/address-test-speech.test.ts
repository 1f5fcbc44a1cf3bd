/**
 * 933, the 911 address test, speaks (issue 22): the real Kamailio sends a line's 933 call with its PIDF-LO to the
 * address-test service (scripts/lib/address-test-service.ts), which renders the civic address on record with
 * espeak-ng and plays it as G.711 to the caller, then hangs up. The caller (sipp, its audio going to an RTP sink
 * here) must receive that very speech: the received stream correlates sample by sample with the rendered PCM.
 * A line without a 911 address hears that it has none.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AddressTestService, startAddressTestService } from '../../../scripts/lib/address-test-service'
import { hungUpByPeerScenario } from '../../support/policy-calls'
import { freePort } from '../../support/postgres'
import { type SipStack, startSipStack } from '../../support/sip-stack'
import { trialLine } from '../../support/service-flows'
import { sippRun } from '../../support/sipp'
import { bestCorrelation, startRtpSink } from '../../support/speech-check'

const run = promisify(execFile)

describe('933 reads the 911 address on record to the caller', () => {
  let stack: SipStack
  let service: AddressTestService
  const logs: string[] = []

  beforeAll(async () => {
    const port = await freePort()
    service = await startAddressTestService({ port, log: (l) => logs.push(l) })
    stack = await startSipStack({ addressTestUri: `sip:127.0.0.1:${port}` })
  }, 60_000)
  afterAll(async () => {
    await stack?.close()
    await service?.close()
  })

  /** sipp as the line calls 933 with its audio going to a sink; the service must hang up (sipp fails otherwise). */
  async function call933(line: { lineId: string; token: string }) {
    const r = await stack.svc.api<{ username: string; password: string }>(
      'GET',
      `/v1/lines/${line.lineId}/sip`,
      undefined,
      line.token
    )
    expect(r.status).toBe(200)
    const sink = await startRtpSink()
    const scenario = hungUpByPeerScenario().replaceAll('m=audio [media_port]', `m=audio ${sink.port}`)
    expect(scenario).toContain(`m=audio ${sink.port}`)
    const args = sippRun(stack.kam.sipPort, scenario, r.body, '933').map((a) => (a === '15s' ? '30s' : a))
    const before = service.calls.length
    await run('sipp', args, { timeout: 40_000 }).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${logs.join('\n')}\n${stack.kam.output().slice(-2000)}`)
    })
    await sink.close()
    const call = service.calls[before]
    return { call, heard: sink.pcm(), username: r.body.username }
  }

  it('speaks the civic address: what the caller receives is the rendered speech', async () => {
    const { call, heard, username } = await call933(await trialLine(stack.svc))
    expect(call?.callback).toBe(`+${username}`)
    expect(call?.located).toBe(true)
    expect(call?.speech.text).toBe(
      'Dialtone 911 address test. Your 911 address on record is: 12 Washington Street, Apartment 4, Hoboken, NJ, 0 7 0 3 0, United States.'
    )
    expect(call?.ended).toBe('said')
    const said = call?.speech.pcm ?? new Int16Array(0)
    // Several seconds of speech, all of it received (300 ms of silence lead it in).
    expect(said.length / 8000).toBeGreaterThan(5)
    expect(heard.length).toBeGreaterThanOrEqual(said.length + 2400)
    const match = bestCorrelation(heard, said, 2000, 2800)
    console.info(
      `933 speech: ${(said.length / 8000).toFixed(1)} s, correlation ${match.r.toFixed(3)} at ${match.lag}`
    )
    // G.711 mu-law keeps speech to about 38 dB SNR: the same audio correlates at 0.99 and more.
    expect(match.r).toBeGreaterThan(0.98)
    expect(match.lag).toBe(2400)
  }, 45_000)

  it('tells a line without a 911 address that it has none', async () => {
    const line = await trialLine(stack.svc)
    const moved = await stack.svc.api<{ status: string }>(
      'POST',
      `/v1/lines/${line.lineId}/number`,
      { areaCode: '604' },
      line.token
    )
    expect(moved.body.status).toBe('pending')
    const { call, heard } = await call933(line)
    expect(call?.located).toBe(false)
    expect(call?.speech.text).toContain('This line has no 911 address on record')
    expect(bestCorrelation(heard, call?.speech.pcm ?? new Int16Array(0), 2400, 2400).r).toBeGreaterThan(0.98)
  }, 45_000)
})
