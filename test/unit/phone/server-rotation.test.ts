/** The line's SIP servers in turn: the next on failure, round and round; a list read again keeps its place. */
import { describe, expect, it } from 'vitest'
import { ServerRotation } from '../../../src/main/phone/server-rotation'

const A = 'wss://a.dialtone.test'
const B = 'wss://b.dialtone.test'
const C = 'wss://c.dialtone.test'

describe('the server rotation', () => {
  it('goes round the list in priority order, keeps its place when the same list is read again', () => {
    const r = new ServerRotation()
    expect(r.current).toBeNull()
    const list = [
      { websocketUrl: B, priority: 20, weight: 0 },
      { websocketUrl: A, priority: 10, weight: 0 }
    ]
    r.use(list, A)
    expect(r.current).toBe(A)
    r.next()
    expect(r.current).toBe(B)
    // The credentials read again (a refused password): not back to the server that just failed.
    r.use([...list].reverse(), A)
    expect(r.current).toBe(B)
    r.next()
    expect(r.current).toBe(A)
    // Another list starts at its most preferred server.
    r.use([{ websocketUrl: C, priority: 0, weight: 0 }, ...list], A)
    expect(r.current).toBe(C)
    r.reset()
    expect(r.current).toBeNull()
  })

  it('uses the one address when the service names no list, and stays on it', () => {
    const r = new ServerRotation()
    r.use(undefined, A)
    r.next()
    expect(r.current).toBe(A)
  })
})
