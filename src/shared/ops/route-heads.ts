/**
 * GENERATED from the ops route table (./routes.ts) by `node --import tsx scripts/ops-route-heads.ts`; do not edit.
 * Each route's method, path, path parameters and whether it sends a JSON body: what `dialtone-ops` calls by
 * (server/ops/cli/client.ts), so the CLI starts without building the table's zod schemas (about half of its
 * start-up, issue 24). test/unit/shared/ops-route-heads.test.ts fails when this file and the table differ.
 */
import type { HttpMethod } from '../api/route'
import type { OpsRouteName } from './routes'

export interface OpsRouteHead {
  readonly method: HttpMethod
  readonly path: string
  readonly params: readonly string[]
  readonly body: boolean
}

export const OPS_ROUTE_HEADS: { readonly [N in OpsRouteName]: OpsRouteHead } = {
  opsPromotionsCreate: { method: 'POST', path: '/ops/v1/promotions', params: [], body: true },
  opsPromotionsList: { method: 'GET', path: '/ops/v1/promotions', params: [], body: false },
  opsPromotionsShow: { method: 'GET', path: '/ops/v1/promotions/:code', params: ['code'], body: false },
  opsPromotionsEnd: { method: 'POST', path: '/ops/v1/promotions/:code/end', params: ['code'], body: true },
  opsAccountsFind: { method: 'GET', path: '/ops/v1/accounts', params: [], body: false },
  opsAccountsShow: { method: 'GET', path: '/ops/v1/accounts/:accountId', params: ['accountId'], body: false },
  opsAccountsCreate: { method: 'POST', path: '/ops/v1/accounts', params: [], body: true },
  opsPlansList: { method: 'GET', path: '/ops/v1/plans', params: [], body: false },
  opsAccountsPlanChange: {
    method: 'POST',
    path: '/ops/v1/accounts/:accountId/plan-changes',
    params: ['accountId'],
    body: true
  },
  opsAccountsPlanChangeWithdraw: {
    method: 'POST',
    path: '/ops/v1/accounts/:accountId/plan-changes/withdraw',
    params: ['accountId'],
    body: true
  },
  opsAccountsResendCode: { method: 'POST', path: '/ops/v1/accounts/codes/resend', params: [], body: true },
  opsAccountsUnlock: {
    method: 'POST',
    path: '/ops/v1/accounts/:accountId/unlock',
    params: ['accountId'],
    body: true
  },
  opsLinesSuspend: { method: 'POST', path: '/ops/v1/lines/:lineId/suspend', params: ['lineId'], body: true },
  opsLinesRestore: { method: 'POST', path: '/ops/v1/lines/:lineId/restore', params: ['lineId'], body: true },
  opsDevicesMove: { method: 'POST', path: '/ops/v1/devices/:serial/move', params: ['serial'], body: true },
  opsAccountsHistory: {
    method: 'GET',
    path: '/ops/v1/accounts/:accountId/history',
    params: ['accountId'],
    body: false
  },
  opsAccountsEndSessions: {
    method: 'POST',
    path: '/ops/v1/accounts/:accountId/end-sessions',
    params: ['accountId'],
    body: true
  },
  opsAccountsRecover: {
    method: 'POST',
    path: '/ops/v1/accounts/:accountId/recover',
    params: ['accountId'],
    body: true
  },
  opsRefundsCreate: { method: 'POST', path: '/ops/v1/refunds', params: [], body: true },
  opsRefundsList: { method: 'GET', path: '/ops/v1/refunds', params: [], body: false },
  opsSettlementsStuck: { method: 'GET', path: '/ops/v1/settlements/stuck', params: [], body: false },
  opsSettlementsRetry: { method: 'POST', path: '/ops/v1/settlements/retry', params: [], body: true },
  opsRefundsCandidates: { method: 'GET', path: '/ops/v1/refunds/candidates', params: [], body: false },
  opsNumbersAddRange: { method: 'POST', path: '/ops/v1/numbers/ranges', params: [], body: true },
  opsNumbersList: { method: 'GET', path: '/ops/v1/numbers', params: [], body: false },
  opsNumbersQuarantine: { method: 'GET', path: '/ops/v1/numbers/quarantine', params: [], body: false },
  opsReportActiveLines: { method: 'GET', path: '/ops/v1/reports/active-lines', params: [], body: false },
  opsReportRenewals: { method: 'GET', path: '/ops/v1/reports/renewals', params: [], body: false },
  opsReportVouchers: { method: 'GET', path: '/ops/v1/reports/vouchers', params: [], body: false },
  opsOperatorsDisable: {
    method: 'POST',
    path: '/ops/v1/operators/:operatorId/disable',
    params: ['operatorId'],
    body: true
  },
  opsOperatorsEnable: {
    method: 'POST',
    path: '/ops/v1/operators/:operatorId/enable',
    params: ['operatorId'],
    body: true
  },
  opsRegistryShip: { method: 'POST', path: '/ops/v1/registry/shipments', params: [], body: true },
  opsCarriersList: { method: 'GET', path: '/ops/v1/carriers', params: [], body: false },
  opsCarriersGatewaySave: {
    method: 'PUT',
    path: '/ops/v1/carriers/gateways/:name',
    params: ['name'],
    body: true
  },
  opsCarriersPrefixSave: {
    method: 'PUT',
    path: '/ops/v1/carriers/prefixes/:prefix',
    params: ['prefix'],
    body: true
  },
  opsCarriersGatewayRemove: {
    method: 'DELETE',
    path: '/ops/v1/carriers/gateways/:name',
    params: ['name'],
    body: true
  },
  opsCarriersPrefixRemove: {
    method: 'DELETE',
    path: '/ops/v1/carriers/prefixes/:prefix',
    params: ['prefix'],
    body: true
  },
  opsSipBans: { method: 'GET', path: '/ops/v1/sip/bans', params: [], body: false },
  opsSipUnban: { method: 'DELETE', path: '/ops/v1/sip/bans/:address', params: ['address'], body: true },
  opsSupportList: { method: 'GET', path: '/ops/v1/support/requests', params: [], body: false },
  opsSupportShow: {
    method: 'GET',
    path: '/ops/v1/support/requests/:requestId',
    params: ['requestId'],
    body: false
  },
  opsSupportReply: {
    method: 'POST',
    path: '/ops/v1/support/requests/:requestId/reply',
    params: ['requestId'],
    body: true
  },
  opsSupportClose: {
    method: 'POST',
    path: '/ops/v1/support/requests/:requestId/close',
    params: ['requestId'],
    body: true
  },
  opsShopsAdd: { method: 'POST', path: '/ops/v1/shops', params: [], body: true },
  opsShopsList: { method: 'GET', path: '/ops/v1/shops', params: [], body: false },
  opsShopsRemove: { method: 'POST', path: '/ops/v1/shops/:shopId/remove', params: ['shopId'], body: true },
  opsServicesList: { method: 'GET', path: '/ops/v1/services', params: [], body: false },
  opsServicesAdd: { method: 'POST', path: '/ops/v1/services', params: [], body: true },
  opsServicesPrice: { method: 'POST', path: '/ops/v1/services/:code/price', params: ['code'], body: true },
  opsServicesRetire: { method: 'POST', path: '/ops/v1/services/:code/retire', params: ['code'], body: true },
  opsBusinessRequests: { method: 'GET', path: '/ops/v1/business/documents', params: [], body: false },
  opsBusinessFulfil: {
    method: 'POST',
    path: '/ops/v1/business/documents/:requestId/fulfil',
    params: ['requestId'],
    body: true
  },
  opsBusinessIssueInvoices: { method: 'POST', path: '/ops/v1/business/invoices', params: [], body: true },
  opsRegistryRevoke: {
    method: 'POST',
    path: '/ops/v1/registry/:serial/revoke',
    params: ['serial'],
    body: true
  },
  opsRegistryRestore: {
    method: 'POST',
    path: '/ops/v1/registry/:serial/restore',
    params: ['serial'],
    body: true
  },
  opsRegistryProofAccept: {
    method: 'POST',
    path: '/ops/v1/registry/:serial/proofs',
    params: ['serial'],
    body: true
  },
  opsRegistryProofWithdraw: {
    method: 'POST',
    path: '/ops/v1/registry/:serial/proofs/withdraw',
    params: ['serial'],
    body: true
  },
  opsLogin: { method: 'POST', path: '/ops/v1/auth/login', params: [], body: true },
  opsLogout: { method: 'POST', path: '/ops/v1/auth/logout', params: [], body: false },
  opsEnrol: { method: 'POST', path: '/ops/v1/auth/enrol', params: [], body: true },
  opsEnrolConfirm: { method: 'POST', path: '/ops/v1/auth/enrol/confirm', params: [], body: true },
  opsWhoami: { method: 'GET', path: '/ops/v1/me', params: [], body: false },
  opsOperatorsCreate: { method: 'POST', path: '/ops/v1/operators', params: [], body: true },
  opsOperatorsList: { method: 'GET', path: '/ops/v1/operators', params: [], body: false },
  opsPartnersCreate: { method: 'POST', path: '/ops/v1/partners', params: [], body: true },
  opsPartnersList: { method: 'GET', path: '/ops/v1/partners', params: [], body: false },
  opsPartnerKeyRotate: {
    method: 'POST',
    path: '/ops/v1/partners/:partnerId/keys',
    params: ['partnerId'],
    body: true
  },
  opsAuditSearch: { method: 'GET', path: '/ops/v1/audit', params: [], body: false },
  opsAuditExport: { method: 'GET', path: '/ops/v1/audit/export', params: [], body: false },
  opsRegistryImport: { method: 'POST', path: '/ops/v1/registry/batches', params: [], body: true },
  opsRegistryShow: { method: 'GET', path: '/ops/v1/registry/:serial', params: ['serial'], body: false },
  opsVouchersCreate: { method: 'POST', path: '/ops/v1/voucher-batches', params: [], body: true },
  opsVouchersExportPins: {
    method: 'POST',
    path: '/ops/v1/voucher-batches/:batchId/pins',
    params: ['batchId'],
    body: true
  },
  opsVouchersShip: {
    method: 'POST',
    path: '/ops/v1/voucher-batches/:batchId/ship',
    params: ['batchId'],
    body: true
  },
  opsVouchersBlock: {
    method: 'POST',
    path: '/ops/v1/voucher-batches/:batchId/block',
    params: ['batchId'],
    body: true
  },
  opsVouchersReport: { method: 'GET', path: '/ops/v1/voucher-batches', params: [], body: false },
  opsPartnerSecretRotate: {
    method: 'POST',
    path: '/ops/v1/partners/:partnerId/webhook-secret',
    params: ['partnerId'],
    body: true
  },
  opsWebshopOrder: { method: 'POST', path: '/ops/v1/webshop/orders', params: [], body: true },
  opsTillActivate: { method: 'POST', path: '/ops/v1/till/activations', params: [], body: true }
}
