/**
 * Reads HAProxy's request log (scripts/lib/haproxy.ts `logRequests`: `<status> <Ta> <Tw> <path>` a line) into the
 * time each answer took at the door: from the request's first byte at HAProxy to its answer's last byte, HAProxy's
 * queue included. Every request is there (not a sample), sorted by what the client got: admitted (any answer but
 * 503) and refused (503, shed at the door or by a process). The health route (the drain's checks) is left out.
 */
import { readFileSync } from 'node:fs'

export interface DoorTimes {
  readonly admitted: number[]
  readonly refused: number[]
  /** The 503s HAProxy answered without queueing the request (shed at the door: its queue wait is -1). */
  readonly shed: number[]
  /** Answers by status (health route excluded). */
  readonly statuses: Record<string, number>
}

export function readDoorLog(file: string): DoorTimes {
  const admitted: number[] = []
  const refused: number[] = []
  const shed: number[] = []
  const statuses: Record<string, number> = {}
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    // HAProxy's own notices (a server up or down) share its standard output; a request line starts with a status.
    const m = /^(\d{3}) (-?\d+) (-?\d+) (\S*)$/.exec(line.trim())
    if (!m) continue
    const [, status = '', ta = '', tw = '', path = ''] = m
    if (path === '/v1/health') continue
    statuses[status] = (statuses[status] ?? 0) + 1
    ;(status === '503' ? refused : admitted).push(Number(ta))
    if (status === '503' && Number(tw) < 0) shed.push(Number(ta))
  }
  return { admitted, refused, shed, statuses }
}
