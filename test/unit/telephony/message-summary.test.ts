/** RFC 3842 message-summary bodies, as voicemail servers send them (and as they get them slightly wrong). */
import { describe, expect, it } from 'vitest'
import { parseMessageSummary } from '../../../src/shared/telephony/message-summary'

describe('message-summary bodies', () => {
  it.each([
    [
      'Messages-Waiting: yes\r\nMessage-Account: sip:vm@example.test\r\nVoice-Message: 2/8 (0/2)\r\n',
      true,
      { new: 2, old: 8 }
    ],
    ['Messages-Waiting: no\r\nVoice-Message: 0/3\r\n', false, { new: 0, old: 3 }],
    ['messages-waiting:YES\n', true, null],
    ['  Messages-Waiting :  No  \n', false, null]
  ])('reads %j', (body, waiting, voice) => {
    expect(parseMessageSummary(body)).toEqual({ waiting, voice })
  })

  it.each(['', 'Voice-Message: 2/0', 'Messages-Waiting: maybe', 'garbage\r\n\r\n'])(
    'is not a summary without a valid Messages-Waiting: %j',
    (body) => {
      expect(parseMessageSummary(body)).toBeNull()
    }
  )
})
