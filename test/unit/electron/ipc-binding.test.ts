import { afterEach, describe, expect, it, vi } from 'vitest'

vi.mock('electron', () => import('../../support/electron-mock'))
const electron = await import('../../support/electron-mock')
const { bindIpc } = await import('../../../src/main/electron/ipc-binding')
const { silentLogger } = await import('../../../src/main/log/logger')
const { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } = await import('../../../src/shared/ipc/channels')
const { testApp } = await import('../../support/test-app')

const appFrame = { url: 'app://dialtone/index.html', parent: null }

function setup() {
  const t = testApp()
  const contents = new electron.FakeWebContents()
  electron.windows.splice(0, electron.windows.length, { webContents: contents, isDestroyed: () => false })
  const unbind = bindIpc(t.app, silentLogger())
  const handler = electron.handlers.get(IPC_CALL_CHANNEL)
  if (!handler) throw new Error('no call handler bound')
  const callAs = (frame: unknown, sender: unknown, channel: unknown, payload?: unknown) =>
    handler({ senderFrame: frame, sender }, channel, payload)
  return { t, contents, unbind, callAs }
}

afterEach(() => electron.handlers.clear())

describe('the Electron IPC binding', () => {
  it("rejects a renderer call with a bad argument by main's validation, with a clear error", async () => {
    const { callAs, contents, t } = setup()
    const result = await callAs(appFrame, contents, 'app.settings.set', { startAtLogin: 'yes please' })
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'INVALID_ARGUMENT',
        message:
          'bad argument to app.settings.set: startAtLogin: Invalid input: expected boolean, received string',
        reason: 'invalid-input',
        issues: [
          {
            path: 'startAtLogin',
            code: 'wrong-type',
            message: 'Invalid input: expected boolean, received string'
          }
        ]
      }
    })
    expect(t.app.settings.get().startAtLogin).toBe(true)
  })

  it('answers a valid call from the app window', async () => {
    const { callAs, contents } = setup()
    expect(await callAs(appFrame, contents, 'device.list')).toEqual({
      ok: true,
      value: { devices: [], usb: [], hotplug: true }
    })
  })

  it('refuses calls from a foreign page, a sub-frame or another webContents', async () => {
    const { callAs, contents } = setup()
    const stranger = new electron.FakeWebContents()
    for (const [frame, sender] of [
      [{ url: 'https://evil.example/', parent: null }, contents],
      [{ ...appFrame, parent: appFrame }, contents],
      [appFrame, stranger]
    ] as const) {
      expect(await callAs(frame, sender, 'app.info')).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' }
      })
    }
  })

  it("forwards main's events to the windows, and unbinds cleanly", async () => {
    const { t, contents, unbind } = setup()
    const next = t.app.settings.set({ theme: 'dark' })
    expect(contents.sent).toEqual([[IPC_EVENT_CHANNEL, 'app.settingsChanged', next]])
    unbind()
    expect(electron.handlers.has(IPC_CALL_CHANNEL)).toBe(false)
    t.app.settings.set({ theme: 'light' })
    expect(contents.sent).toHaveLength(1)
  })
})
