/**
 * "We sent a code" points to the dev stack's mailbox (the newcomer's README run did not find it from the screen):
 * main tells the screens where it is only when the dev stack said so, and only a page on this machine.
 */
import { describe, expect, it } from 'vitest'
import { devMailboxUrl } from '../../../src/main/node-ports'
import { call } from '../../../src/main/ipc/dispatcher'
import { testApp } from '../../support/test-app'

describe('the dev mailbox address', () => {
  it('is in app.info when the dev stack gives one, and absent otherwise', async () => {
    const url = 'http://127.0.0.1:4780/dev/mailbox'
    const dev = testApp({ devMailboxUrl: url })
    expect((await call(dev.app.dispatch, 'app.info', undefined)).devMailboxUrl).toBe(url)
    const plain = testApp()
    expect(await call(plain.app.dispatch, 'app.info', undefined)).not.toHaveProperty('devMailboxUrl')
    await Promise.all([dev.app.dispose(), plain.app.dispose()])
  })

  it('takes only an http page on this machine from the environment', () => {
    expect(devMailboxUrl({ DIALTONE_DEV_MAILBOX_URL: 'http://127.0.0.1:4780/dev/mailbox' })).toBe(
      'http://127.0.0.1:4780/dev/mailbox'
    )
    expect(devMailboxUrl({ DIALTONE_DEV_MAILBOX_URL: 'http://localhost:4780/dev/mailbox' })).toBe(
      'http://localhost:4780/dev/mailbox'
    )
    for (const bad of [
      undefined,
      '',
      'https://mail.example.com/inbox',
      'http://evil.example/dev/mailbox',
      'javascript:alert(1)',
      'http://user:pw@127.0.0.1:4780/',
      'not a url'
    ])
      expect(devMailboxUrl({ DIALTONE_DEV_MAILBOX_URL: bad })).toBeUndefined()
  })
})
