import { describe, expect, it, vi } from 'vitest'

vi.mock('electron', () => import('../../support/electron-mock'))
const { FakeWebContents, shell } = await import('../../support/electron-mock')
const { hardenSession, hardenWebContents, isAllowedPermission, isTrustedSender, secureWebPreferences } =
  await import('../../../src/main/electron/security')
const { resolveAppPath } = await import('../../../src/main/electron/app-protocol')

describe("Electron's security checklist", () => {
  it('isolates and sandboxes the renderer, without Node', () => {
    expect(secureWebPreferences('/app/preload/index.cjs')).toMatchObject({
      preload: '/app/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick'
    })
  })

  it('grants only audio capture and output choice, and only to the app itself', () => {
    expect(isAllowedPermission('media', 'app://dialtone/index.html', ['audio'])).toBe(true)
    expect(isAllowedPermission('speaker-selection', 'app://dialtone/')).toBe(true)
    expect(isAllowedPermission('media', 'app://dialtone/', ['audio', 'video'])).toBe(false)
    expect(isAllowedPermission('media', 'https://evil.example/', ['audio'])).toBe(false)
    for (const p of [
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'hid',
      'usb',
      'serial'
    ]) {
      expect(isAllowedPermission(p, 'app://dialtone/'), p).toBe(false)
    }
    expect(isAllowedPermission('media', undefined, ['audio'])).toBe(false)
  })

  it('installs both permission handlers on the session', () => {
    let request: ((...a: unknown[]) => void) | undefined
    let check: ((...a: unknown[]) => boolean) | undefined
    const session = {
      setPermissionRequestHandler: (fn: typeof request) => (request = fn),
      setPermissionCheckHandler: (fn: typeof check) => (check = fn)
    }
    hardenSession(session as never)
    const answer = vi.fn()
    request?.({}, 'media', answer, { requestingUrl: 'app://dialtone/', mediaTypes: ['video'] })
    request?.({}, 'geolocation', answer, { requestingUrl: 'app://dialtone/' })
    request?.({}, 'media', answer, { requestingUrl: 'app://dialtone/', mediaTypes: ['audio'] })
    expect(answer.mock.calls).toEqual([[false], [false], [true]])
    expect(check?.({}, 'notifications', 'app://dialtone')).toBe(false)
  })

  it('blocks navigation away from the app, <webview>, and new windows; https links go to the browser', () => {
    const contents = new FakeWebContents()
    hardenWebContents(contents as never)
    const navigate = (url: string): boolean => {
      const event = { preventDefault: vi.fn() }
      contents.emit('will-navigate', event, url)
      return event.preventDefault.mock.calls.length === 0
    }
    expect(navigate('app://dialtone/index.html#/phone')).toBe(true)
    expect(navigate('https://evil.example/')).toBe(false)
    expect(navigate('file:///etc/passwd')).toBe(false)
    const webview = { preventDefault: vi.fn() }
    contents.emit('will-attach-webview', webview)
    expect(webview.preventDefault).toHaveBeenCalled()
    expect(contents.windowOpenHandler?.({ url: 'https://dialtone.example/help' })).toEqual({ action: 'deny' })
    expect(contents.windowOpenHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' })
    expect(contents.windowOpenHandler?.({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' })
    expect(shell.openExternal.mock.calls).toEqual([['https://dialtone.example/help']])
  })

  it("opens the dev stack's mailbox (exactly that http address) when it is given, and no other http page", () => {
    shell.openExternal.mockClear()
    const contents = new FakeWebContents()
    hardenWebContents(contents as never, ['http://127.0.0.1:4790/'])
    expect(contents.windowOpenHandler?.({ url: 'http://127.0.0.1:4790/' })).toEqual({ action: 'deny' })
    expect(contents.windowOpenHandler?.({ url: 'http://127.0.0.1:4791/' })).toEqual({ action: 'deny' })
    expect(contents.windowOpenHandler?.({ url: 'http://evil.example/' })).toEqual({ action: 'deny' })
    expect(shell.openExternal.mock.calls).toEqual([['http://127.0.0.1:4790/']])
    const plain = new FakeWebContents()
    hardenWebContents(plain as never)
    plain.windowOpenHandler?.({ url: 'http://127.0.0.1:4790/' })
    expect(shell.openExternal.mock.calls).toHaveLength(1)
  })

  it('trusts IPC only from the top frame of its own window showing the app', () => {
    const own = new FakeWebContents()
    const other = new FakeWebContents()
    const top = { url: 'app://dialtone/index.html', parent: null }
    expect(isTrustedSender(top as never, own as never, [own as never])).toBe(true)
    expect(isTrustedSender(top as never, other as never, [own as never])).toBe(false)
    expect(isTrustedSender({ ...top, parent: top } as never, own as never, [own as never])).toBe(false)
    expect(
      isTrustedSender({ url: 'https://evil.example/', parent: null } as never, own as never, [own as never])
    ).toBe(false)
    expect(isTrustedSender(null, own as never, [own as never])).toBe(false)
  })

  it('serves app:// only from inside the renderer folder', () => {
    expect(resolveAppPath('app://dialtone/', '/opt/d/renderer')).toBe('/opt/d/renderer/index.html')
    expect(resolveAppPath('app://dialtone/assets/a.js', '/opt/d/renderer')).toBe(
      '/opt/d/renderer/assets/a.js'
    )
    expect(resolveAppPath('app://dialtone/../../etc/passwd', '/opt/d/renderer')).toBe(
      '/opt/d/renderer/etc/passwd'
    )
    expect(resolveAppPath('app://dialtone/%2e%2e/%2e%2e/etc/passwd', '/opt/d/renderer')).toBe(
      '/opt/d/renderer/etc/passwd'
    )
    // Encoded slashes survive URL parsing and decode into a climb out of the folder: refused.
    expect(resolveAppPath('app://dialtone/%2F..%2F..%2Fetc%2Fpasswd', '/opt/d/renderer')).toBeNull()
    expect(resolveAppPath('app://other/index.html', '/opt/d/renderer')).toBeNull()
    expect(resolveAppPath('not a url', '/opt/d/renderer')).toBeNull()
  })
})
