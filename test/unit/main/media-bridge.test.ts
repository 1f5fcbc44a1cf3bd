/**
 * Main's end of the media bridge: requests go out addressed to the attached engine and are matched to replies;
 * replies from another engine or for nothing pending are ignored; an engine that stops answering is dropped;
 * a detach fails pending work and ends calls; the proxy handler maps sip.js's calls onto the requests.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { EventBus } from '../../../src/main/ipc/event-bus'
import { silentLogger } from '../../../src/main/log/logger'
import { MediaBridge } from '../../../src/main/phone/media-bridge'
import { ProxySessionDescriptionHandler, bridgedSdhFactory } from '../../../src/main/phone/proxy-sdh'
import type { MediaRequest } from '../../../src/shared/ipc/media'

const SDP = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\n'

function setup(timeoutMs = 1000) {
  const events = new EventBus(silentLogger())
  const bridge = new MediaBridge({ events, log: silentLogger(), timeoutMs })
  const requests: MediaRequest[] = []
  events.subscribe((name, payload) => {
    if (name === 'media.request') requests.push(payload as MediaRequest)
  })
  return { bridge, requests }
}

describe('the media bridge', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('refuses work when no engine is attached', async () => {
    const { bridge } = setup()
    await expect(bridge.request('s1', 'getDescription')).rejects.toThrow('no media engine is attached')
  })

  it('addresses requests to the attached engine and resolves them with its reply', async () => {
    const { bridge, requests } = setup()
    bridge.attach('engine-one-1234')
    const pending = bridge.request('s1', 'setDescription', { sdp: SDP })
    expect(requests).toEqual([
      { engineId: 'engine-one-1234', requestId: 1, sdhId: 's1', op: 'setDescription', sdp: SDP }
    ])
    // A reply claiming another engine, or an unknown id, changes nothing.
    bridge.reply({ engineId: 'engine-two-1234', requestId: 1, ok: true })
    bridge.reply({ engineId: 'engine-one-1234', requestId: 99, ok: true })
    bridge.reply({ engineId: 'engine-one-1234', requestId: 1, ok: true, signalingState: 'have-remote-offer' })
    await expect(pending).resolves.toMatchObject({ signalingState: 'have-remote-offer' })
  })

  it('rejects with the engine’s reason when it fails', async () => {
    const { bridge } = setup()
    bridge.attach('engine-one-1234')
    const pending = bridge.request('s1', 'getDescription')
    bridge.reply({ engineId: 'engine-one-1234', requestId: 1, ok: false, error: 'NotAllowedError: denied' })
    await expect(pending).rejects.toThrow('NotAllowedError: denied')
  })

  it('drops an engine that does not answer in time, and tells the phone', async () => {
    const { bridge } = setup(500)
    const detached = vi.fn()
    bridge.onDetach(detached)
    bridge.attach('engine-one-1234')
    const pending = bridge.request('s1', 'getDescription')
    const caught = expect(pending).rejects.toThrow('did not answer getDescription in time')
    await vi.advanceTimersByTimeAsync(501)
    await caught
    expect(bridge.status().engineId).toBeNull()
    expect(detached).toHaveBeenCalledOnce()
  })

  it('a newer engine takes over; the old one’s pending work fails and its reports are ignored', async () => {
    const { bridge } = setup()
    bridge.attach('engine-one-1234')
    const pending = bridge.request('s1', 'getDescription')
    expect(bridge.status().pending).toBe(1)
    bridge.attach('engine-two-1234')
    await expect(pending).rejects.toThrow('another window took over')
    const report = {
      engineId: 'engine-one-1234',
      input: null,
      output: null,
      ringer: null,
      dongleAudio: false,
      tone: null,
      sessions: []
    }
    bridge.report(report)
    // The old engine's request failed with it: nothing is left waiting.
    expect(bridge.status()).toEqual({ engineId: 'engine-two-1234', report: null, pending: 0 })
    bridge.report({ ...report, engineId: 'engine-two-1234', tone: 'dial' })
    expect(bridge.status().report?.tone).toBe('dial')
    expect(bridge.detach('engine-one-1234').engineId).toBe('engine-two-1234')
    expect(bridge.detach('engine-two-1234').engineId).toBeNull()
  })
})

describe('the proxy session description handler', () => {
  it('asks the engine again when a key finds RFC 4733 not ready, so the next key goes as RTP', async () => {
    const { bridge, requests } = setup()
    bridge.attach('engine-one-1234')
    const sdh = new ProxySessionDescriptionHandler(bridge)
    // The engine's answer came before DTLS was up: no DTMF over RTP yet; this key goes as SIP INFO ...
    expect(sdh.sendDtmf('5')).toBe(false)
    // ... and main asks again with a pause, which sends no tone.
    const recheck = requests.at(-1)
    expect(recheck).toMatchObject({ op: 'sendDtmf', tones: ',' })
    bridge.reply({
      engineId: 'engine-one-1234',
      requestId: recheck?.requestId ?? -1,
      ok: true,
      canInsertDtmf: true
    })
    await new Promise((r) => setTimeout(r, 0))
    expect(sdh.sendDtmf('5')).toBe(true)
    expect(requests.at(-1)).toMatchObject({ op: 'sendDtmf', tones: '5' })
  })

  it('keeps asking after an answer until RFC 4733 is ready, so the first key goes as RTP', async () => {
    vi.useFakeTimers()
    const { bridge, requests } = setup()
    bridge.attach('engine-one-1234')
    const sdh = new ProxySessionDescriptionHandler(bridge)
    const answered = sdh.setDescription(SDP)
    bridge.reply({
      engineId: 'engine-one-1234',
      requestId: requests.at(-1)?.requestId ?? -1,
      ok: true,
      signalingState: 'stable',
      canInsertDtmf: false
    })
    await answered
    const before = requests.length
    await vi.advanceTimersByTimeAsync(250)
    const recheck = requests.at(-1)
    expect(requests).toHaveLength(before + 1)
    expect(recheck).toMatchObject({ op: 'sendDtmf', tones: ',' })
    bridge.reply({
      engineId: 'engine-one-1234',
      requestId: recheck?.requestId ?? -1,
      ok: true,
      canInsertDtmf: true
    })
    await vi.advanceTimersByTimeAsync(0)
    expect(sdh.sendDtmf('1')).toBe(true)
    // Ready: no more asking.
    await vi.advanceTimersByTimeAsync(2000)
    expect(requests.at(-1)).toMatchObject({ op: 'sendDtmf', tones: '1' })
    sdh.close()
    vi.useRealTimers()
  })

  it('forwards offers, answers and close, mirrors the signalling state and DTMF ability', async () => {
    const { bridge, requests } = setup()
    bridge.attach('engine-one-1234')
    const sdh = new ProxySessionDescriptionHandler(bridge)
    expect(sdh.hasDescription('application/sdp')).toBe(true)
    expect(sdh.hasDescription('text/plain')).toBe(false)
    expect(sdh.sendDtmf('1')).toBe(false)

    const offer = sdh.getDescription({ hold: true } as object)
    expect(requests.at(-1)).toMatchObject({ op: 'getDescription', hold: true, iceGatheringTimeoutMs: 2000 })
    bridge.reply({
      engineId: 'engine-one-1234',
      requestId: requests.at(-1)?.requestId ?? -1,
      ok: true,
      sdp: SDP,
      signalingState: 'have-local-offer',
      canInsertDtmf: true
    })
    await expect(offer).resolves.toEqual({ body: SDP, contentType: 'application/sdp' })
    expect(sdh.signalingState).toBe('have-local-offer')
    expect(sdh.sendDtmf('12#')).toBe(true)
    expect(requests.at(-1)).toMatchObject({ op: 'sendDtmf', tones: '12#' })
    expect(sdh.sendDtmf('not dtmf')).toBe(false)

    await expect(sdh.getDescription(undefined, [async (d) => d])).rejects.toThrow('modifiers cannot cross')
    sdh.close()
    expect(requests.at(-1)).toMatchObject({ op: 'close', sdhId: sdh.id })
    await expect(sdh.setDescription(SDP)).rejects.toThrow('closed')
  })

  it('falls back to the signalling-only handler when no engine is attached', () => {
    const { bridge } = setup()
    const fallback = vi.fn(() => ({}) as never)
    const noted = vi.fn()
    const factory = bridgedSdhFactory(bridge, fallback, noted)
    factory({} as never)
    expect(fallback).toHaveBeenCalledOnce()
    expect(noted).toHaveBeenCalledOnce()
    bridge.attach('engine-one-1234')
    expect(factory({} as never)).toBeInstanceOf(ProxySessionDescriptionHandler)
  })
})
