/** Desktop notifications: one per ringing call, one per missed call, in the person's language. */
import { describe, expect, it } from 'vitest'
import { type CallNotification, followCallNotifications } from '../../../src/main/call-notifications'
import { EventBus } from '../../../src/main/ipc/event-bus'
import { silentLogger } from '../../../src/main/log/logger'
import type { LanguageCode } from '../../../src/shared/i18n/languages'
import type { CallState } from '../../../src/shared/ipc/phone'

const idle: CallState = {
  phase: 'idle',
  offHook: false,
  digits: '',
  call: null,
  other: null,
  voicemailWaiting: false,
  doNotDisturb: false,
  muted: false,
  reason: null
}
const ringing = (id: string, remote: string): CallState => ({
  ...idle,
  phase: 'ringing',
  call: { id, direction: 'in', remote }
})

function setup(language: LanguageCode = 'en') {
  const events = new EventBus(silentLogger())
  const shown: CallNotification[] = []
  let lang = language
  const stop = followCallNotifications(
    events,
    () => lang,
    (n) => shown.push(n)
  )
  return { events, shown, stop, setLanguage: (l: LanguageCode) => (lang = l) }
}

describe('call notifications', () => {
  it('notifies once per ringing call, however often its state is repeated', () => {
    const { events, shown } = setup()
    events.emit('phone.callStateChanged', ringing('in-1', '+12015550100'))
    events.emit('phone.callStateChanged', { ...ringing('in-1', '+12015550100'), doNotDisturb: false })
    events.emit('phone.callStateChanged', idle)
    events.emit('phone.callStateChanged', ringing('in-2', 'private'))
    expect(shown).toEqual([
      {
        kind: 'incoming',
        title: 'Incoming call',
        body: '\u2068+12015550100\u2069 is calling. Lift the handset or answer in Dialtone.'
      },
      {
        kind: 'incoming',
        title: 'Incoming call',
        body: 'a private number is calling. Lift the handset or answer in Dialtone.'
      }
    ])
  })

  it('notifies a missed call in the language chosen now', () => {
    const { events, shown, setLanguage, stop } = setup()
    setLanguage('fr')
    events.emit('phone.missedCall', {
      id: 'in-3:x',
      direction: 'in',
      remote: '+12015550100',
      startedAt: '2026-12-02T10:00:00.000Z',
      answeredAt: null,
      endedAt: '2026-12-02T10:00:20.000Z',
      outcome: 'missed'
    })
    expect(shown).toEqual([
      {
        kind: 'missed',
        title: 'Appel manqué',
        body: 'Vous avez manqué un appel de \u2068+12015550100\u2069.'
      }
    ])
    stop()
    events.emit('phone.callStateChanged', ringing('in-4', '+12015550100'))
    expect(shown).toHaveLength(1)
  })
})
