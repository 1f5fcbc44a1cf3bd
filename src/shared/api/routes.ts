/**
 * The service's routes, the one place each is defined: method, path, the one input object (path parameters, query
 * and body together), the answer's schema and status, auth, and whether it changes lines. The app's client calls by
 * it, the service registers every route from it (src/server/http/serve-route.ts, which refuses to start when a
 * route has no handler), and test/integration/service/routes.test.ts checks the served OpenAPI document against it.
 */
import { z } from 'zod'
import { challengeResponse } from './attestation'
import { custom } from './issues'
import { timeZoneRequest } from './time-zone'
import { messageLanguageRequest } from './message-language'
import { id, okSchema } from './common'
import {
  activatePurchasedRequest,
  activateTrialRequest,
  activationResult,
  approveTransferRequest,
  sendTransferCodeRequest,
  areaCodeAvailability,
  areaCodeParam,
  asksForANumber,
  availableNumbers,
  availableNumbersQuery,
  changeNumberFields,
  deviceLookup,
  deviceChallengeRequest,
  deviceLookupRequest,
  e911History,
  legalDocument,
  legalDocumentQuery,
  legalTexts,
  lineInfo,
  lineList,
  numberHistory,
  releaseDeviceRequest,
  requestTransferRequest,
  resendTrialCodeRequest,
  setE911Request,
  setLineLabelRequest,
  sipCredentials,
  startTrialRequest,
  startTrialResponse,
  transferInfo
} from './devices'
import {
  acceptedResponse,
  accountProfile,
  addEmailRequest,
  changePasswordRequest,
  contactPatch,
  forgotPasswordRequest,
  notificationPatch,
  phoneSignupStart,
  phoneSignupVerify,
  resetPasswordRequest,
  sessionList,
  sessionResponse,
  signInRequest,
  signInResponse,
  verifyEmailRequest
} from './identity'

import { BILLING_API_ROUTES } from './billing-routes'
import { CALLS_API_ROUTES } from './calls-routes'
import { FORWARDING_API_ROUTES } from './forwarding'
import { VOICEMAIL_API_ROUTES } from './voicemail-routes'
import { SUPPORT_API_ROUTES } from './support'
import { SERVICES_API_ROUTES } from './services'
import { BUSINESS_API_ROUTES } from './business'
import { PRIVACY_API_ROUTES } from './privacy'
import { lineParam, route } from './route'
import { LINE_CHANGES_HOLD_S, lineChangesAnswer, lineChangesQuery } from './line-changes'

export type { ApiRoute, HttpMethod } from './route'

const emailParam = z.object({ emailId: id }).strict()

export const transferList = z.object({ transfers: z.array(transferInfo) })
export const transferApproved = z.object({
  id: z.string(),
  status: z.literal('completed'),
  lineId: z.string()
})
export const healthResponse = z.object({ status: z.literal('ok'), version: z.string() })

export const API_ROUTES = {
  health: route({ method: 'GET', path: '/v1/health', input: null, output: healthResponse, auth: 'none' }),
  legal: route({ method: 'GET', path: '/v1/legal', input: null, output: legalTexts, auth: 'none' }),
  terms: route({
    method: 'GET',
    path: '/v1/legal/terms',
    input: legalDocumentQuery,
    output: legalDocument,
    auth: 'none'
  }),
  e911Disclosure: route({
    method: 'GET',
    path: '/v1/legal/e911',
    input: legalDocumentQuery,
    output: legalDocument,
    auth: 'none'
  }),

  signIn: route({
    method: 'POST',
    path: '/v1/auth/sign-in',
    input: signInRequest,
    output: signInResponse,
    auth: 'none'
  }),
  signOut: route({
    method: 'POST',
    path: '/v1/auth/sign-out',
    input: null,
    output: okSchema,
    auth: 'required'
  }),
  sessions: route({
    method: 'GET',
    path: '/v1/auth/sessions',
    input: null,
    output: sessionList,
    auth: 'required'
  }),
  revokeSession: route({
    method: 'DELETE',
    path: '/v1/auth/sessions/:sessionId',
    input: z.object({ sessionId: id }).strict(),
    output: okSchema,
    auth: 'required'
  }),
  forgotPassword: route({
    method: 'POST',
    path: '/v1/auth/password/forgot',
    input: forgotPasswordRequest,
    output: acceptedResponse,
    auth: 'none',
    status: 202
  }),
  resetPassword: route({
    method: 'POST',
    path: '/v1/auth/password/reset',
    input: resetPasswordRequest,
    output: okSchema,
    auth: 'none'
  }),
  changePassword: route({
    method: 'POST',
    path: '/v1/auth/password/change',
    input: changePasswordRequest,
    output: okSchema,
    auth: 'required'
  }),
  startPhoneSignup: route({
    method: 'POST',
    path: '/v1/signup/phone',
    input: phoneSignupStart,
    output: acceptedResponse,
    auth: 'none',
    status: 202
  }),
  finishPhoneSignup: route({
    method: 'POST',
    path: '/v1/signup/phone/verify',
    input: phoneSignupVerify,
    output: sessionResponse,
    auth: 'none',
    status: 201
  }),

  profile: route({
    method: 'GET',
    path: '/v1/account',
    input: null,
    output: accountProfile,
    auth: 'required'
  }),
  updateContact: route({
    method: 'PATCH',
    path: '/v1/account/contact',
    input: contactPatch,
    output: accountProfile,
    auth: 'required'
  }),
  updateTimeZone: route({
    method: 'PUT',
    path: '/v1/account/time-zone',
    input: timeZoneRequest,
    output: accountProfile,
    auth: 'required'
  }),
  updateMessageLanguage: route({
    method: 'PUT',
    path: '/v1/account/language',
    input: messageLanguageRequest,
    output: accountProfile,
    auth: 'required'
  }),
  updateNotifications: route({
    method: 'PATCH',
    path: '/v1/account/notifications',
    input: notificationPatch,
    output: accountProfile,
    auth: 'required'
  }),
  addEmail: route({
    method: 'POST',
    path: '/v1/account/emails',
    input: addEmailRequest,
    output: accountProfile,
    auth: 'required',
    status: 201
  }),
  resendEmailCode: route({
    method: 'POST',
    path: '/v1/account/emails/:emailId/resend',
    input: emailParam,
    output: okSchema,
    auth: 'required'
  }),
  verifyEmail: route({
    method: 'POST',
    path: '/v1/account/emails/:emailId/verify',
    input: emailParam.extend(verifyEmailRequest.shape),
    output: accountProfile,
    auth: 'required'
  }),
  setPreferredEmail: route({
    method: 'POST',
    path: '/v1/account/emails/:emailId/preferred',
    input: emailParam,
    output: accountProfile,
    auth: 'required'
  }),
  removeEmail: route({
    method: 'DELETE',
    path: '/v1/account/emails/:emailId',
    input: emailParam,
    output: accountProfile,
    auth: 'required'
  }),

  lookupDevice: route({
    method: 'POST',
    path: '/v1/devices/lookup',
    input: deviceLookupRequest,
    output: deviceLookup,
    auth: 'optional'
  }),
  deviceChallenge: route({
    method: 'POST',
    path: '/v1/devices/challenge',
    input: deviceChallengeRequest,
    output: challengeResponse,
    auth: 'none',
    status: 201
  }),
  startTrial: route({
    method: 'POST',
    path: '/v1/trials',
    input: startTrialRequest,
    output: startTrialResponse,
    auth: 'none',
    status: 202
  }),
  resendTrialCode: route({
    method: 'POST',
    path: '/v1/trials/resend',
    input: resendTrialCodeRequest,
    output: startTrialResponse,
    auth: 'none',
    status: 202
  }),
  activateTrial: route({
    method: 'POST',
    path: '/v1/trials/activate',
    input: activateTrialRequest,
    output: activationResult,
    auth: 'none',
    status: 201
  }),
  activatePurchased: route({
    method: 'POST',
    path: '/v1/devices/activate',
    input: activatePurchasedRequest,
    output: activationResult,
    auth: 'optional',
    status: 201
  }),
  releaseDevice: route({
    method: 'POST',
    path: '/v1/devices/:deviceId/release',
    input: z.object({ deviceId: id }).extend(releaseDeviceRequest.shape).strict(),
    output: okSchema,
    auth: 'required',
    changesLines: true
  }),
  transfers: route({
    method: 'GET',
    path: '/v1/transfers',
    input: null,
    output: transferList,
    auth: 'required'
  }),
  requestTransfer: route({
    method: 'POST',
    path: '/v1/transfers',
    input: requestTransferRequest,
    output: transferInfo,
    auth: 'required',
    status: 202
  }),
  sendTransferCode: route({
    method: 'POST',
    path: '/v1/transfers/send-code',
    input: sendTransferCodeRequest,
    output: transferInfo,
    auth: 'required'
  }),
  approveTransfer: route({
    method: 'POST',
    path: '/v1/transfers/approve',
    input: approveTransferRequest,
    output: transferApproved,
    auth: 'required',
    changesLines: true
  }),

  areaCodeAvailability: route({
    method: 'GET',
    path: '/v1/numbers/area-codes/:areaCode',
    input: areaCodeParam,
    output: areaCodeAvailability,
    auth: 'none'
  }),
  availableNumbers: route({
    method: 'GET',
    path: '/v1/numbers/available',
    input: availableNumbersQuery,
    output: availableNumbers,
    auth: 'required'
  }),
  lines: route({ method: 'GET', path: '/v1/lines', input: null, output: lineList, auth: 'required' }),
  lineChanges: route({
    method: 'GET',
    path: '/v1/lines/changes',
    input: lineChangesQuery,
    output: lineChangesAnswer,
    auth: 'required',
    holdsS: LINE_CHANGES_HOLD_S
  }),
  line: route({
    method: 'GET',
    path: '/v1/lines/:lineId',
    input: lineParam,
    output: lineInfo,
    auth: 'required'
  }),
  setLineLabel: route({
    method: 'PUT',
    path: '/v1/lines/:lineId/label',
    input: lineParam.extend(setLineLabelRequest.shape),
    output: lineInfo,
    auth: 'required',
    changesLines: true
  }),
  setE911: route({
    method: 'PUT',
    path: '/v1/lines/:lineId/e911',
    input: lineParam.extend(setE911Request.shape),
    output: lineInfo,
    auth: 'required',
    changesLines: true
  }),
  e911History: route({
    method: 'GET',
    path: '/v1/lines/:lineId/e911',
    input: lineParam,
    output: e911History,
    auth: 'required'
  }),
  changeNumber: route({
    method: 'POST',
    path: '/v1/lines/:lineId/number',
    input: lineParam
      .extend(changeNumberFields.shape)
      .refine(asksForANumber, custom('required', 'give an area code or a number')),
    output: lineInfo,
    auth: 'required',
    changesLines: true
  }),
  numberHistory: route({
    method: 'GET',
    path: '/v1/lines/:lineId/number-history',
    input: lineParam,
    output: numberHistory,
    auth: 'required'
  }),
  sipCredentials: route({
    method: 'GET',
    path: '/v1/lines/:lineId/sip',
    input: lineParam,
    output: sipCredentials,
    auth: 'required'
  }),
  ...BILLING_API_ROUTES,
  // calls refused before they reached a line (issue 22)
  ...CALLS_API_ROUTES,
  // call forwarding (issue 23)
  ...FORWARDING_API_ROUTES,
  // voicemail (issue 23)
  ...VOICEMAIL_API_ROUTES,
  // support (issue 25)
  ...SUPPORT_API_ROUTES,
  // connected services (issue 25)
  ...SERVICES_API_ROUTES,
  // business accounts (issue 25)
  ...BUSINESS_API_ROUTES,
  // a person's own data: download it, close the account
  ...PRIVACY_API_ROUTES
} as const

export type ApiRoutes = typeof API_ROUTES
export type RouteName = keyof ApiRoutes
export type RouteInput<N extends RouteName> = ApiRoutes[N]['input'] extends z.ZodType
  ? z.input<ApiRoutes[N]['input']>
  : undefined
export type RouteOutput<N extends RouteName> = z.output<ApiRoutes[N]['output']>

// In ./route.ts, which the ops CLI imports without this whole table.
export { pathParams } from './route'
