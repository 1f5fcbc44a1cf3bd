/**
 * Desktop notifications, decided here in plain Node and shown by the host (Electron's Notification): one when a
 * call starts ringing (once per call, not on every state change), one for each missed call, and the account's
 * reminders (service ending without auto-renew, a card about to expire), and a set-up dongle that did not appear
 * after start or keeps dropping out (device.trouble, from dongle-watch.ts; a click opens Diagnostics). In the person's language; a number is
 * isolated so it reads left to right in Persian.
 */
import type { AccountSection } from '../shared/ipc/app'
import type { PayloadOf } from '../shared/ipc/contract'
import { isolate } from '../shared/i18n/bidi'
import type { LanguageCode } from '../shared/i18n/languages'
import { NOTIFICATION_TEXT } from '../shared/i18n/notification-text'
import type { EventBus } from './ipc/event-bus'

export interface DesktopNotification {
  /** What it is about, which decides where a click leads (dongle: the Diagnostics page). */
  readonly kind: 'incoming' | 'missed' | 'reminder' | 'dongle'
  /** For a reminder: the Account page's part that fixes it (a card: Billing, where cards are replaced). */
  readonly section?: AccountSection
  readonly title: string
  readonly body: string
}

export function followDesktopNotifications(
  events: EventBus,
  language: () => LanguageCode,
  show: (n: DesktopNotification) => void
): () => void {
  let ringingFor: string | null = null
  const text = () => NOTIFICATION_TEXT[language()]
  const name = (remote: string): string => (remote === 'private' ? text().privateNumber : isolate(remote))
  return events.subscribe((event, payload) => {
    if (event === 'phone.callStateChanged') {
      const s = payload as PayloadOf<'phone.callStateChanged'>
      const ringing = s.phase === 'ringing' && s.call ? s.call.id : null
      if (ringing && ringing !== ringingFor && s.call) {
        const t = text()
        show({
          kind: 'incoming',
          title: t.incomingTitle,
          body: t.incomingBody.replace('{remote}', name(s.call.remote))
        })
      }
      ringingFor = ringing
    } else if (event === 'account.reminder') {
      const r = payload as PayloadOf<'account.reminder'>
      const t = text()
      const date = new Intl.DateTimeFormat(language(), { dateStyle: 'medium' }).format(new Date(r.date))
      const fill = (s: string): string => s.replace('{subject}', isolate(r.subject)).replace('{date}', date)
      show(
        r.kind === 'service-ending'
          ? {
              kind: 'reminder',
              section: 'overview',
              title: t.serviceEndingTitle,
              body: fill(t.serviceEndingBody)
            }
          : {
              kind: 'reminder',
              section: 'billing',
              title: t.cardExpiringTitle,
              body: fill(t.cardExpiringBody)
            }
      )
    } else if (event === 'device.trouble') {
      const d = payload as PayloadOf<'device.trouble'>
      const t = text()
      show(
        d.kind === 'missing'
          ? { kind: 'dongle', title: t.dongleMissingTitle, body: t.dongleMissingBody }
          : { kind: 'dongle', title: t.dongleDropoutsTitle, body: t.dongleDropoutsBody }
      )
    } else if (event === 'phone.missedCall') {
      const m = payload as PayloadOf<'phone.missedCall'>
      const t = text()
      show({ kind: 'missed', title: t.missedTitle, body: t.missedBody.replace('{remote}', name(m.remote)) })
    }
  })
}
