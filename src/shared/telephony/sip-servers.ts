/**
 * The SIP servers a line may register with, chosen DNS SRV-style (RFC 2782): the service hands out a list of
 * WebSocket URLs, each with a priority (lower is tried first) and a weight (among equal priorities, the share of
 * lines that try it first). The app walks the list in that order and moves to the next server when its server
 * cannot be reached; a service that sends no list (older ones) gives the single `websocketUrl` it always sent.
 * Pure: the random source is passed in, so the order is a unit test.
 */

export interface SipServer {
  readonly websocketUrl: string
  /** 0-65535; lower first. */
  readonly priority: number
  /** 0-65535; among equal priorities, how often this one comes first (0: only when nothing else is left). */
  readonly weight: number
}

/** The URLs in the order to try them: by priority, and within a priority by weighted random choice (RFC 2782). */
export function orderSipServers(
  servers: readonly SipServer[] | undefined,
  fallbackUrl: string,
  random: () => number = Math.random
): string[] {
  if (!servers || servers.length === 0) return [fallbackUrl]
  const priorities = [...new Set(servers.map((s) => s.priority))].sort((a, b) => a - b)
  const order: string[] = []
  for (const p of priorities) {
    // RFC 2782: zero weights first in the running sum, so they are picked only by a zero draw or when alone.
    const left = servers.filter((s) => s.priority === p).sort((a, b) => a.weight - b.weight)
    while (left.length > 0) {
      const total = left.reduce((n, s) => n + s.weight, 0)
      const draw = random() * total
      let sum = 0
      let i = left.findIndex((s) => (sum += s.weight) > draw)
      if (i < 0) i = left.length - 1
      order.push(left[i]!.websocketUrl)
      left.splice(i, 1)
    }
  }
  return [...new Set(order)]
}

const ENTRY = /^(\d{1,5})\s+(\d{1,5})\s+(wss?:\/\/\S+)$/

/**
 * The service's list from its setting, SRV-style "priority weight url" entries separated by commas, e.g.
 * `10 60 wss://sip-a.example:443, 10 40 wss://sip-b.example:443, 20 0 wss://sip-c.example:443`.
 * Throws with the entry that is wrong.
 */
export function parseSipServers(spec: string): SipServer[] {
  const entries = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  if (entries.length === 0) throw new Error('the list of SIP servers is empty')
  if (entries.length > 16) throw new Error('at most 16 SIP servers')
  return entries.map((entry) => {
    const m = ENTRY.exec(entry)
    const priority = Number(m?.[1])
    const weight = Number(m?.[2])
    if (!m || priority > 65535 || weight > 65535)
      throw new Error(`"${entry}" is not "priority weight ws(s)://host:port" (priority and weight 0-65535)`)
    try {
      new URL(m[3]!)
    } catch {
      throw new Error(`"${entry}" has a URL that does not parse`)
    }
    return { websocketUrl: m[3]!, priority, weight }
  })
}
