/**
 * The audio energy a page's MediaEngine receives over time: WebRTC's inbound-rtp statistics of the connected peer
 * connection (totalAudioEnergy over totalSamplesDuration, cumulative), polled every 50 ms for `ms`. A script
 * string: these files are type-checked for Node, without the DOM's types. Needs window.__pcs (the media tests'
 * peer-connection counter); waits up to 5 s for the connection to be up.
 */
export interface EnergySample {
  /** Seconds of audio received so far. */
  readonly d: number
  /** Cumulative energy (audio level squared times duration). */
  readonly e: number
}

export const ENERGY_PROBE = (ms: number): string => `(async () => {
  // The call may be answered a moment before its media path (ICE, DTLS) is up.
  let pc
  for (const until = performance.now() + 5000; !pc && performance.now() < until; ) {
    pc = window.__pcs.find((p) => p.connectionState === 'connected')
    if (!pc) await new Promise((r) => setTimeout(r, 50))
  }
  if (!pc) throw new Error('no connected peer connection within 5 s')
  const out = []
  const t0 = performance.now()
  while (performance.now() - t0 < ${ms}) {
    const stats = await pc.getStats()
    stats.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio')
        out.push({ d: s.totalSamplesDuration || 0, e: s.totalAudioEnergy || 0 })
    })
    await new Promise((r) => setTimeout(r, 50))
  }
  return out
})()`
