/**
 * Reasons only the ops API gives (operators and partners read them through `dialtone-ops`, which prints the
 * English message; the desktop app never meets them, so they have no sentence in the app's locales). The
 * service's ServiceError accepts these next to the app's REASON_CODES.
 */
export const OPS_REASON_CODES = [
  'ops-permission', // params: permission, role
  'ops-partner-scope',
  'reason-required',
  'enrolment-invalid',
  'operator-exists',
  'operator-not-found',
  'partner-not-found',
  'batch-not-found',
  'pins-exported',
  'batch-not-shipped',
  'registry-csv-invalid',
  'serial-unknown',
  'bootstrap-done',
  'webhook-signature',
  'webhook-replay',
  'order-conflict',
  // numbers and reports (issue 20)
  'number-range-invalid',
  'numbers-present',
  'report-period',
  'operator-state',
  'last-admin',
  'serial-shipped',
  // the registry's actions: a leaked key revoked or restored, a proof of purchase accepted or withdrawn
  'key-revoked',
  'key-not-revoked',
  'serial-sold-online', // params: order
  'proof-needs-admin',
  'original-kept',
  'proof-waiting',
  'proof-not-waiting',
  // money (issue 20)
  'charge-not-found',
  'refund-above-limit', // params: limitMinor, currency
  'refund-too-large', // params: refundableMinor, currency
  'refund-destination',
  'refund-failed',
  'settlement-not-stuck',
  // promotions
  'promotion-exists',
  'promotion-not-found',
  'promotion-ended',
  // accounts (issue 20)
  'lookup-one', // find by exactly one of email, number, serial
  'not-legal-entity',
  'nothing-pending',
  'line-suspended',
  'line-not-suspended',
  'same-account',
  'device-unowned',
  'invitation-pending',
  // carriers (issue 22)
  'carrier-route-invalid',
  'carrier-route-not-found',
  'carrier-route-in-use',
  // the SIP server's flood bans
  'sip-ban-not-found',
  'sip-server-unreachable',
  // support (issue 25)
  'shop-not-found',
  'shop-zip-unknown', // params: zip
  'partner-not-retail'
] as const
export type OpsReasonCode = (typeof OPS_REASON_CODES)[number]
