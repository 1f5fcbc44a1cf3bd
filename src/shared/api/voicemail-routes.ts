/**
 * The voicemail part of the route table (src/shared/api/routes.ts): an owner reaches only their own lines' boxes
 * (another account's line or message ids answer not-found).
 */
import { okSchema } from './common'
import { lineParam, route } from './route'
import {
  GREETING_MAX_BASE64,
  greetingInfo,
  messageParam,
  setGreetingRequest,
  voicemailAudio,
  voicemailBox
} from './voicemail'

export const VOICEMAIL_API_ROUTES = {
  voicemailBox: route({
    method: 'GET',
    path: '/v1/lines/:lineId/voicemail',
    input: lineParam,
    output: voicemailBox,
    auth: 'required'
  }),
  voicemailMessageAudio: route({
    method: 'GET',
    path: '/v1/lines/:lineId/voicemail/messages/:messageId/audio',
    input: messageParam,
    output: voicemailAudio,
    auth: 'required'
  }),
  voicemailMarkHeard: route({
    method: 'POST',
    path: '/v1/lines/:lineId/voicemail/messages/:messageId/heard',
    input: messageParam,
    output: okSchema,
    auth: 'required'
  }),
  voicemailDeleteMessage: route({
    method: 'DELETE',
    path: '/v1/lines/:lineId/voicemail/messages/:messageId',
    input: messageParam,
    output: okSchema,
    auth: 'required'
  }),
  voicemailGreetingAudio: route({
    method: 'GET',
    path: '/v1/lines/:lineId/voicemail/greeting',
    input: lineParam,
    output: voicemailAudio,
    auth: 'required'
  }),
  voicemailSetGreeting: route({
    method: 'PUT',
    path: '/v1/lines/:lineId/voicemail/greeting',
    input: setGreetingRequest,
    output: greetingInfo,
    auth: 'required',
    bodyLimit: GREETING_MAX_BASE64 + 1024
  }),
  voicemailDeleteGreeting: route({
    method: 'DELETE',
    path: '/v1/lines/:lineId/voicemail/greeting',
    input: lineParam,
    output: okSchema,
    auth: 'required'
  })
} as const
