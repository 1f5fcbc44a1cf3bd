/** tel: and sip: links open the Phone page with the number; global shortcuts answer and hang up. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { PayloadOf } from '../../../src/shared/ipc/contract'
import { numberFromLink } from '../../../src/shared/telephony/links'
import { silentLogger } from '../../../src/main/log/logger'
import { testApp } from '../../support/test-app'

vi.mock('electron', () => import('../../support/electron-mock'))
const electron = await import('../../support/electron-mock')
const { followDesktopLinks, SHORTCUTS } = await import('../../../src/main/electron/desktop-links')

describe('links to dial', () => {
  it.each([
    ['tel:+1-201-555-0101', '+12015550101'],
    ['tel:2015550101;phone-context=+1', '2015550101'],
    ['TEL:%2B1%20(201)%20555-0101', '+12015550101'],
    ['sip:+12015550101@dialtone.test;user=phone', '+12015550101'],
    ['sips:12015550101@example.test', '12015550101'],
    ['sip:alice@example.test', null],
    ['tel:', null],
    ['mailto:a@example.test', null]
  ])('%s -> %s', (link, number) => {
    expect(numberFromLink(link)).toBe(number)
  })
})

describe('the desktop’s ways into the phone', () => {
  afterEach(() => {
    electron.shortcuts.clear()
    electron.takenShortcuts.clear()
    electron.app.removeAllListeners()
  })

  it('registers for tel: and sip:, and opens the Phone page with the number a link carries', () => {
    const t = testApp()
    const navigations: PayloadOf<'app.navigate'>[] = []
    t.app.events.subscribe((name, p) => {
      if (name === 'app.navigate') navigations.push(p as PayloadOf<'app.navigate'>)
    })
    const show = vi.fn()
    const stop = followDesktopLinks(t.app, show, silentLogger())
    expect([...electron.protocolClients].sort()).toEqual(['sip', 'tel'])
    electron.app.emit('second-instance', {}, ['/opt/Dialtone/dialtone', 'tel:+1-201-555-0101'])
    electron.app.emit('open-url', { preventDefault: vi.fn() }, 'sip:alice@example.test')
    expect(navigations).toEqual([
      { page: 'phone', dial: '+12015550101' },
      { page: 'phone', dial: null }
    ])
    expect(show).toHaveBeenCalledTimes(2)
    stop()
    electron.app.emit('second-instance', {}, ['dialtone', 'tel:911'])
    expect(navigations).toHaveLength(2)
  })

  it('answers and hangs up from the global shortcuts, and survives one being taken', async () => {
    electron.takenShortcuts.add(SHORTCUTS.hangUp)
    const t = testApp()
    const stop = followDesktopLinks(t.app, vi.fn(), silentLogger())
    expect([...electron.shortcuts.keys()]).toEqual([SHORTCUTS.answer])
    electron.shortcuts.get(SHORTCUTS.answer)?.()
    await vi.waitFor(() => expect(t.app.phone.callState.offHook).toBe(true))
    stop()
    expect(electron.shortcuts.size).toBe(0)
  })
})
