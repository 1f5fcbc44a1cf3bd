/**
 * The voicemail domain (issue 23): a line's messages, their audio (played in the renderer), heard and delete, and
 * the line's greeting. Every command passes one service route through with the signed-in session.
 */
import { domain } from './define'
import { pass } from './passthrough'

export const voicemailDomain = domain({
  name: 'voicemail',
  commands: {
    'voicemail.box': pass(
      'voicemailBox',
      'A line’s messages (caller, time, length, heard), greeting and limits.'
    ),
    'voicemail.messageAudio': pass('voicemailMessageAudio', 'One message as a WAV file (base64).'),
    'voicemail.markHeard': pass('voicemailMarkHeard', 'Marks a message heard (the message lamp follows).'),
    'voicemail.deleteMessage': pass('voicemailDeleteMessage', 'Deletes a message for good.'),
    'voicemail.greetingAudio': pass(
      'voicemailGreetingAudio',
      'The line’s own greeting as a WAV file (base64).'
    ),
    'voicemail.setGreeting': pass(
      'voicemailSetGreeting',
      'Keeps a greeting recorded on the computer (silence or too long is refused).'
    ),
    'voicemail.deleteGreeting': pass('voicemailDeleteGreeting', 'Callers hear the standard greeting again.')
  },
  events: {}
})
