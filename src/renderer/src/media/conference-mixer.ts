/**
 * The three-way conference, mixed in the renderer with Web Audio (issue 23): each party's peer connection sends
 * the phone's microphone plus every other party's audio (a MediaStreamDestination per party, put in place of the
 * microphone track with replaceTrack, so nothing is renegotiated), while the phone's earpiece already plays every
 * party's audio (each session's own audio element). Mixing here rather than in the media relay keeps calls between
 * two Dialtone lines direct (they are never relayed) and costs no server: the conference lives and ends with the
 * calls in this window. At most one conference at a time, as on a Bellcore line.
 */
import type { PeerSession } from './peer-session'

export class ConferenceMixer {
  private ctx: AudioContext | null = null
  private parties: PeerSession[] = []

  /** The sessions mixed now (their handler ids). */
  get members(): string[] {
    return this.parties.map((p) => p.id)
  }

  /** Mixes these sessions with the phone; an empty list (or one party) stops mixing. */
  async mix(parties: PeerSession[]): Promise<void> {
    await this.stop()
    if (parties.length < 2) return
    const ctx = new AudioContext()
    this.ctx = ctx
    this.parties = parties
    await ctx.resume()
    const remotes = parties.map((p) => {
      const track = p.remoteTrack
      return track ? ctx.createMediaStreamSource(new MediaStream([track])) : null
    })
    for (const [i, party] of parties.entries()) {
      const out = ctx.createMediaStreamDestination()
      const mic = party.microphoneStream
      if (mic && mic.getAudioTracks().length > 0) ctx.createMediaStreamSource(mic).connect(out)
      for (const [j, remote] of remotes.entries()) if (j !== i) remote?.connect(out)
      await party.sendTrack(out.stream.getAudioTracks()[0] ?? null)
    }
  }

  /** Each party hears the microphone alone again; a party whose call ended meanwhile is skipped. */
  async stop(): Promise<void> {
    const parties = this.parties.splice(0)
    for (const p of parties) await p.sendTrack(null).catch(() => undefined)
    const ctx = this.ctx
    this.ctx = null
    await ctx?.close().catch(() => undefined)
  }

  /** A party's call closed: the conference is over for the rest too (main says so next; this is the early stop). */
  async left(id: string): Promise<void> {
    if (this.parties.some((p) => p.id === id)) await this.stop()
  }
}
