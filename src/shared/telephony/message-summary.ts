/**
 * RFC 3842 message summaries (the body of a message-summary NOTIFY): whether messages wait, and the voice
 * message counts when the server gives them. Lenient the way RFC 3842 asks (header names case-insensitive,
 * unknown lines ignored); a body without Messages-Waiting is not a summary.
 */
export interface MessageSummary {
  readonly waiting: boolean
  /** "Voice-Message: new/old (urgent new/urgent old)"; null when the server did not say. */
  readonly voice: { readonly new: number; readonly old: number } | null
}

export function parseMessageSummary(body: string): MessageSummary | null {
  let waiting: boolean | null = null
  let voice: MessageSummary['voice'] = null
  for (const raw of body.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z-]+)\s*:\s*(.*?)\s*$/.exec(raw)
    if (!m) continue
    const name = (m[1] ?? '').toLowerCase()
    const value = m[2] ?? ''
    if (name === 'messages-waiting') {
      if (/^yes$/i.test(value)) waiting = true
      else if (/^no$/i.test(value)) waiting = false
    } else if (name === 'voice-message') {
      const counts = /^(\d+)\/(\d+)/.exec(value)
      if (counts) voice = { new: Number(counts[1]), old: Number(counts[2]) }
    }
  }
  return waiting === null ? null : { waiting, voice }
}
