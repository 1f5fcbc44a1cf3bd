/**
 * A BYE on the early dialog of an incoming call (endOnEarlyBye): answered 200, and the INVITE answered 487 while
 * the call is ringing or being answered (the handset lifted as the caller hung up); once answered, left to sip.js.
 * The Invitation here is a stand-in with the three members endOnEarlyBye uses; calls.test.ts walks the real one.
 */
import { type Invitation, SessionState } from 'sip.js'
import { describe, expect, it, vi } from 'vitest'
import { endOnEarlyBye } from '../../../src/main/phone/call-session'

function ringing() {
  const invitation = {
    state: SessionState.Initial as SessionState,
    dialog: { delegate: undefined as { onBye?: (bye: { accept: () => void }) => void } | undefined },
    reject: vi.fn(() => Promise.resolve())
  }
  endOnEarlyBye(invitation as unknown as Invitation)
  const bye = () => {
    const accept = vi.fn()
    invitation.dialog.delegate?.onBye?.({ accept })
    return accept
  }
  return { invitation, bye }
}

describe('a BYE on a ringing call’s early dialog', () => {
  it('is answered, and the INVITE 487, while ringing and while the answer is being made', () => {
    for (const state of [SessionState.Initial, SessionState.Establishing]) {
      const { invitation, bye } = ringing()
      invitation.state = state
      expect(bye()).toHaveBeenCalledOnce()
      expect(invitation.reject).toHaveBeenCalledWith({ statusCode: 487 })
    }
  })

  it('leaves an answered or ended call alone, and survives a refusal sip.js throws', () => {
    for (const state of [SessionState.Established, SessionState.Terminated]) {
      const { invitation, bye } = ringing()
      invitation.state = state
      expect(bye()).toHaveBeenCalledOnce()
      expect(invitation.reject).not.toHaveBeenCalled()
    }
    const { invitation, bye } = ringing()
    invitation.reject.mockImplementation(() => {
      throw new Error('transaction already answered')
    })
    expect(() => bye()).not.toThrow()
  })
})
