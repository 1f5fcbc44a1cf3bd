/**
 * The line-changes watch (src/main/account/line-change-watch.ts) with a scripted account: a moved version says
 * account.linesChanged, an unchanged one does not; an unchanged answer that came back early waits out MIN_POLL_MS;
 * failures back off 1 s doubling to 60 s; an ended session ends the loop; signing out aborts the poll in flight.
 */
import { describe, expect, it } from 'vitest'
import { LineChangeWatch, MIN_MOVED_POLL_MS, MIN_POLL_MS } from '../../../src/main/account/line-change-watch'
import type { AccountService } from '../../../src/main/account/account-service'
import { EventBus } from '../../../src/main/ipc/event-bus'
import { silentLogger } from '../../../src/main/log/logger'
import { DialtoneError } from '../../../src/shared/ipc/errors'

type Answer = { version: string } | DialtoneError

/** An account whose polls answer from `script` in turn (then hang until aborted), and what each poll sent. */
function scripted(script: Answer[], signedIn = true) {
  const sent: (string | undefined)[] = []
  let aborted = 0
  const account = {
    state: () => ({ signedIn, accountId: signedIn ? 'acc_0123456789ab' : null }),
    call: async (_name: string, input: { since?: string }, options: { signal?: AbortSignal } = {}) => {
      sent.push(input.since)
      const next = script.shift()
      if (next === undefined)
        return new Promise((_, reject) =>
          options.signal?.addEventListener('abort', () => {
            aborted++
            reject(new DialtoneError('UNAVAILABLE', 'aborted'))
          })
        )
      if (next instanceof DialtoneError) throw next
      return next
    }
  } as unknown as Pick<AccountService, 'call' | 'state'>
  return { account, sent, script, aborted: () => aborted }
}

const settle = () => new Promise((r) => setTimeout(r, 20))

function watch(account: Pick<AccountService, 'call' | 'state'>) {
  const events = new EventBus(silentLogger())
  const told: unknown[] = []
  events.subscribe((name, payload) => {
    if (name === 'account.linesChanged') told.push(payload)
  })
  const waits: number[] = []
  const w = new LineChangeWatch({
    account,
    events,
    log: silentLogger(),
    sleep: async (ms) => void waits.push(ms),
    random: () => 1
  })
  return { w, events, told, waits }
}

describe('the line-changes watch', () => {
  it('says linesChanged when the version moves, and sends the version it last heard', async () => {
    const s = scripted([{ version: 'a' }, { version: 'a' }, { version: 'b' }])
    const { w, told, waits } = watch(s.account)
    w.start()
    await settle()
    expect(s.sent).toEqual([undefined, 'a', 'a', 'b'])
    expect(told).toEqual([{ after: 'service' }])
    // The first answer (no version asked) is followed at once; the early unchanged one waits out MIN_POLL_MS, the
    // moved one MIN_MOVED_POLL_MS (versions that alternate must not make every round trip a refresh).
    expect(waits).toHaveLength(2)
    expect(waits[0]).toBeGreaterThan(MIN_POLL_MS - 100)
    expect(waits[0]).toBeLessThanOrEqual(MIN_POLL_MS)
    expect(waits[1]).toBeGreaterThan(MIN_MOVED_POLL_MS - 100)
    expect(waits[1]).toBeLessThanOrEqual(MIN_MOVED_POLL_MS)
    w.stop()
    expect(s.aborted()).toBe(1)
  })

  it('backs off on failures, 1 s doubling to 60 s, and starts again from 1 s after a success', async () => {
    const down = () => new DialtoneError('UNAVAILABLE', 'no service')
    const s = scripted([...Array.from({ length: 8 }, down), { version: 'a' }, down()])
    const { w, waits } = watch(s.account)
    w.start()
    await settle()
    w.stop()
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 1000])
  })

  it('stops when the session ends, and does not start while signed out', async () => {
    const ended = scripted([new DialtoneError('UNAUTHENTICATED', 'session over')])
    const a = watch(ended.account)
    a.w.start()
    await settle()
    expect(ended.sent).toEqual([undefined])
    const out = scripted([{ version: 'a' }], false)
    const b = watch(out.account)
    b.w.start()
    await settle()
    expect(out.sent).toEqual([])
    a.w.stop()
    b.w.stop()
  })

  it('starts again from the version last heard when the session changes, so a change made meanwhile is said', async () => {
    const s = scripted([{ version: 'a' }])
    const { w, events, told } = watch(s.account)
    w.start()
    await settle()
    expect(s.sent).toEqual([undefined, 'a'])
    // A new session of the same account (signed in again): the next poll asks from 'a', and hears 'b'.
    s.script.push({ version: 'b' })
    events.emit('account.sessionChanged', {
      signedIn: true,
      accountId: 'acc_0123456789ab',
      expiresAt: null,
      serviceUrl: 'http://127.0.0.1:1',
      protection: 'memory'
    } as never)
    await settle()
    expect(s.sent.slice(2)).toEqual(['a', 'b'])
    expect(told).toEqual([{ after: 'service' }])
    w.stop()
  })
})
