/**
 * The desktop's ways into the phone: tel: and sip: links (Dialtone registers as their handler; the link arrives
 * in argv on Windows and Linux, by open-url on macOS) open the Phone page with the number in the dialpad; global
 * shortcuts answer (Ctrl/Cmd+Shift+A) and hang up (Ctrl/Cmd+Shift+H) from anywhere.
 */
import { app, globalShortcut } from 'electron'
import { numberFromLink } from '../../shared/telephony/links'
import type { DialtoneApp } from '../app'
import { logFailure, type Logger } from '../log/logger'

export const SHORTCUTS = { answer: 'CommandOrControl+Shift+A', hangUp: 'CommandOrControl+Shift+H' } as const

/** The first tel:/sip: link among a process's arguments (a second instance started by the link). */
export const linkInArgs = (argv: readonly string[]): string | undefined =>
  argv.find((a) => /^(tel|sips?):/i.test(a))

export function followDesktopLinks(dialtone: DialtoneApp, show: () => void, log: Logger): () => void {
  const open = (link: string): void => {
    const dial = numberFromLink(link)
    show()
    dialtone.events.emit('app.navigate', { page: 'phone', dial })
    if (!dial) log.info('a link without a number to dial was opened')
  }
  for (const scheme of ['tel', 'sip']) {
    if (!app.isDefaultProtocolClient(scheme) && !app.setAsDefaultProtocolClient(scheme))
      log.info(`could not register as the ${scheme}: handler`)
  }
  const onOpenUrl = (event: { preventDefault(): void }, url: string): void => {
    event.preventDefault()
    open(url)
  }
  const onSecondInstance = (_e: unknown, argv: string[]): void => {
    const link = linkInArgs(argv)
    if (link) open(link)
  }
  app.on('open-url', onOpenUrl)
  app.on('second-instance', onSecondInstance)
  const first = linkInArgs(process.argv)
  if (first) open(first)

  const answer = (): void =>
    void dialtone
      .dispatch('phone.answer', undefined, { host: 'electron', origin: 'shortcut' })
      .catch(logFailure(log, 'dialtone.dispatch'))
  const hangUp = (): void =>
    void dialtone
      .dispatch('phone.hangup', undefined, { host: 'electron', origin: 'shortcut' })
      .catch(logFailure(log, 'dialtone.dispatch'))
  if (!globalShortcut.register(SHORTCUTS.answer, answer))
    log.info(`${SHORTCUTS.answer} is taken by another app`)
  if (!globalShortcut.register(SHORTCUTS.hangUp, hangUp))
    log.info(`${SHORTCUTS.hangUp} is taken by another app`)
  return () => {
    app.off('open-url', onOpenUrl)
    app.off('second-instance', onSecondInstance)
    globalShortcut.unregister(SHORTCUTS.answer)
    globalShortcut.unregister(SHORTCUTS.hangUp)
  }
}
