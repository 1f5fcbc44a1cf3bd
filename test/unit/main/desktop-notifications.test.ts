/** Desktop notifications: one per ringing call, one per missed call, in the person's language. */
import { describe, expect, it } from 'vitest'
import { type DesktopNotification, followDesktopNotifications } from '../../../src/main/desktop-notifications'
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
  why: null,
  reason: null
}
const ringing = (id: string, remote: string): CallState => ({
  ...idle,
  phase: 'ringing',
  call: { id, direction: 'in', remote }
})

function setup(language: LanguageCode = 'en') {
  const events = new EventBus(silentLogger())
  const shown: DesktopNotification[] = []
  let lang = language
  const stop = followDesktopNotifications(
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

describe('account reminders as notifications', () => {
  it('says when the service ends and which card expires, in the person’s language', () => {
    const { events, shown, setLanguage } = setup()
    events.emit('account.reminder', {
      kind: 'service-ending',
      key: 'service:lin_1:2026-12-20T00:00:00.000Z',
      subject: '+12015550100',
      date: '2026-12-20T00:00:00.000Z'
    })
    expect(shown[0]).toMatchObject({ kind: 'reminder', title: 'Your phone service ends soon' })
    expect(shown[0]?.body).toContain('\u2068+12015550100\u2069')
    expect(shown[0]?.body).toContain('Dec 20, 2026')
    setLanguage('fr')
    events.emit('account.reminder', {
      kind: 'card-expiring',
      key: 'card:pm_1:2026-12',
      subject: '4242',
      date: '2026-12-31T23:59:59.999Z'
    })
    // A card is fixed where cards are replaced: the click opens the Account page's Billing part.
    expect(shown[0]).toMatchObject({ section: 'overview' })
    expect(shown[1]).toMatchObject({
      kind: 'reminder',
      section: 'billing',
      title: 'Votre carte expire bientôt'
    })
    expect(shown[1]?.body).toContain('31 déc. 2026')
  })
})

describe('dongle trouble as notifications', () => {
  it('says a set-up dongle is missing or keeps dropping out, in the person’s language, and leads to Diagnostics', () => {
    const { events, shown, setLanguage } = setup()
    events.emit('device.trouble', { kind: 'missing', count: 0 })
    expect(shown[0]).toMatchObject({ kind: 'dongle', title: 'Your dongle has not appeared' })
    expect(shown[0]?.body).toContain('Diagnostics')
    setLanguage('fa')
    events.emit('device.trouble', { kind: 'dropouts', count: 3 })
    expect(shown[1]).toMatchObject({ kind: 'dongle', title: 'دانگل شما مدام قطع می‌شود' })
    expect(shown[1]?.body).toContain('عیب‌یابی')
  })
})
