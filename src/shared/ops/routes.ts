/**
 * The ops API's route table (issue 20): the one place each /ops/v1 route is defined. The service serves it
 * (src/server/ops/http/ops-routes.ts, which fails the start when a route is unserved), derives
 * /ops/v1/openapi.json from it, and `dialtone-ops` calls by it (src/server/ops/cli/client.ts).
 */
import { z } from 'zod'
import { emailAddress, id, instant, newPassword, okSchema, text } from '../api/common'
import { modelId, serialNumber } from '../api/devices'
import { ROLES } from './permissions'
import { operatorView } from './operator-view'
import { MONEY_OPS_ROUTES } from './routes-money'
import { ACCOUNTS_OPS_ROUTES } from './routes-accounts'
import { ACCOUNT_SECURITY_OPS_ROUTES } from './routes-account-security'
import { opsRoute, reasonField } from './route'
import { CARRIERS_OPS_ROUTES } from './routes-carriers'
import { SIP_OPS_ROUTES } from './routes-sip'
import { NUMBERS_OPS_ROUTES } from './routes-numbers'
import { PROMOTIONS_OPS_ROUTES } from './routes-promotions'
import { SUPPORT_OPS_ROUTES } from './routes-support'
import { SERVICES_OPS_ROUTES } from './routes-services'
import { BUSINESS_OPS_ROUTES } from './routes-business'
import { REGISTRY_OPS_ROUTES } from './routes-registry'

export const PARTNER_KINDS = ['retail', 'webshop'] as const

// In its own file so the topic route files can use it without importing this one (which imports them).
export { type OperatorView, operatorView } from './operator-view'

export const partnerView = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(PARTNER_KINDS),
  createdAt: instant,
  activeKeys: z.number().int()
})

export const auditEventView = z.object({
  id: z.string(),
  at: instant,
  actorKind: z.enum(['operator', 'partner', 'system']),
  actorId: z.string().nullable(),
  actorRole: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  reason: z.string().nullable(),
  outcome: z.enum(['ok', 'refused', 'failed']),
  error: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  ip: z.string().nullable()
})
export type AuditEventView = z.infer<typeof auditEventView>

/** A 6-digit authenticator code, or a recovery code (xxxx-xxxx-xxxx). */
const secondFactor = z
  .string()
  .trim()
  .regex(/^(\d{6}|[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})$/, 'a 6-digit authenticator code or a recovery code')

const auditFilter = z
  .object({
    actor: z.string().max(254).optional(),
    action: z.string().max(64).optional(),
    target: z.string().max(200).optional(),
    outcome: z.enum(['ok', 'refused', 'failed']).optional(),
    from: instant.optional(),
    to: instant.optional(),
    limit: z.coerce.number().int().min(1).max(10_000).optional()
  })
  .strict()

const batchParam = z.string().regex(/^vb_[A-Za-z0-9_-]{10,40}$/, 'not a batch id')

const batchCounts = z.object({
  generated: z.number().int(),
  inactive: z.number().int(),
  active: z.number().int(),
  redeemed: z.number().int(),
  expired: z.number().int(),
  blocked: z.number().int()
})

/** What the web shop sends for each order; online activation then matches it by number and email. */
export const webshopOrder = z
  .object({
    orderNumber: text(4, 40).transform((s) => s.toUpperCase()),
    email: emailAddress,
    model: modelId,
    serial: serialNumber.optional(),
    includedMonths: z.number().int().min(0).max(36)
  })
  .strict()

const CORE_OPS_ROUTES = {
  opsLogin: opsRoute({
    method: 'POST',
    path: '/ops/v1/auth/login',
    access: 'public',
    summary: 'sign in with email, password and an authenticator (or recovery) code',
    input: z
      .object({
        email: emailAddress,
        password: z.string().min(1).max(128),
        code: secondFactor,
        // The device token this CLI got at its last sign-in: its attempts count apart from everyone else's.
        deviceToken: z.string().max(200).optional()
      })
      .strict(),
    output: z.object({
      token: z.string(),
      expiresAt: instant,
      operator: operatorView,
      deviceToken: z.string()
    })
  }),
  opsLogout: opsRoute({
    method: 'POST',
    path: '/ops/v1/auth/logout',
    access: 'operator',
    summary: 'end this session',
    input: null,
    output: okSchema
  }),
  opsEnrol: opsRoute({
    method: 'POST',
    path: '/ops/v1/auth/enrol',
    access: 'public',
    summary: 'first step of enrolment: choose a password, receive the TOTP secret and recovery codes',
    input: z.object({ token: z.string().min(10).max(100), password: newPassword }).strict(),
    output: z.object({ otpauthUri: z.string(), secret: z.string(), recoveryCodes: z.array(z.string()) })
  }),
  opsEnrolConfirm: opsRoute({
    method: 'POST',
    path: '/ops/v1/auth/enrol/confirm',
    access: 'public',
    summary: 'second step: prove the authenticator works; the operator becomes active',
    input: z.object({ token: z.string().min(10).max(100), code: z.string().regex(/^\d{6}$/) }).strict(),
    output: z.object({ operator: operatorView })
  }),
  opsWhoami: opsRoute({
    method: 'GET',
    path: '/ops/v1/me',
    access: 'operator',
    summary: 'who this session or API key is, and what it may do',
    input: null,
    output: z.object({
      kind: z.enum(['operator', 'partner']),
      id: z.string(),
      name: z.string(),
      role: z.enum(ROLES).nullable(),
      partnerId: z.string().nullable(),
      permissions: z.array(z.string()),
      expiresAt: instant.nullable()
    })
  }),
  opsOperatorsCreate: opsRoute({
    method: 'POST',
    path: '/ops/v1/operators',
    access: 'operators.manage',
    status: 201,
    summary: 'create an operator; answers a one-time enrolment token (valid 24 hours)',
    input: z
      .object({ email: emailAddress, name: text(1, 100), role: z.enum(ROLES), partnerId: id.optional() })
      .strict(),
    output: z.object({ operator: operatorView, enrolmentToken: z.string(), enrolmentExpiresAt: instant })
  }),
  opsOperatorsList: opsRoute({
    method: 'GET',
    path: '/ops/v1/operators',
    access: 'operators.manage',
    summary: 'every operator',
    input: null,
    output: z.object({ operators: z.array(operatorView) })
  }),
  opsPartnersCreate: opsRoute({
    method: 'POST',
    path: '/ops/v1/partners',
    access: 'partners.manage',
    status: 201,
    summary: 'create a retail or web-shop partner',
    input: z.object({ name: text(1, 100), kind: z.enum(PARTNER_KINDS) }).strict(),
    output: z.object({ partner: partnerView })
  }),
  opsPartnersList: opsRoute({
    method: 'GET',
    path: '/ops/v1/partners',
    access: 'partners.manage',
    summary: 'every partner',
    input: null,
    output: z.object({ partners: z.array(partnerView) })
  }),
  opsPartnerKeyRotate: opsRoute({
    method: 'POST',
    path: '/ops/v1/partners/:partnerId/keys',
    access: 'partners.manage',
    status: 201,
    summary: "issue the partner's API key, revoking any earlier one (shown once)",
    input: z.object({ partnerId: id }).strict(),
    output: z.object({
      partnerId: z.string(),
      keyId: z.string(),
      apiKey: z.string(),
      revoked: z.number().int()
    })
  }),
  opsAuditSearch: opsRoute({
    method: 'GET',
    path: '/ops/v1/audit',
    access: 'audit.read',
    summary: 'search the audit log (newest first)',
    input: auditFilter,
    output: z.object({ events: z.array(auditEventView) })
  }),
  opsAuditExport: opsRoute({
    method: 'GET',
    path: '/ops/v1/audit/export',
    access: 'audit.read',
    summary: 'the audit log as CSV (oldest first)',
    input: auditFilter,
    output: z.object({ count: z.number().int(), csv: z.string() })
  }),
  opsRegistryImport: opsRoute({
    method: 'POST',
    path: '/ops/v1/registry/batches',
    access: 'registry.import',
    status: 201,
    bodyLimit: 4 * 1024 * 1024,
    summary: 'import a factory batch from CSV (model,serial,public_key): all rows or none',
    input: z
      .object({
        batch: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'a batch is 1-64 letters, digits, dots, dashes'),
        csv: z.string().min(1).max(4_000_000),
        reason: reasonField
      })
      .strict(),
    output: z.object({ batch: z.string(), added: z.number().int() })
  }),
  opsRegistryShow: opsRoute({
    method: 'GET',
    path: '/ops/v1/registry/:serial',
    access: 'registry.read',
    summary: "a serial's history: made, shipped, sold, activated, transferred, released",
    input: z.object({ serial: serialNumber }).strict(),
    output: z.object({
      serial: z.string(),
      model: modelId,
      /** The factory batch; null for a serial the factory never registered (a model that cannot attest). */
      batch: z.string().nullable(),
      revokedAt: instant.nullable(),
      /** Who revoked the key (an operator's email; null when that operator is gone or before migration 0038), why. */
      revocation: z.object({ by: z.string().nullable(), reason: z.string().nullable() }).nullable(),
      /** The proof of purchase waiting for an activation, when support accepted one. */
      proofWaiting: z.object({ email: z.string(), proof: z.string(), expiresAt: instant }).nullable(),
      history: z.array(z.object({ at: instant, event: z.string(), detail: z.string() }))
    })
  }),
  opsVouchersCreate: opsRoute({
    method: 'POST',
    path: '/ops/v1/voucher-batches',
    access: 'vouchers.create',
    status: 201,
    summary: 'create a batch of Re-Up cards (PINs kept sealed until exported once)',
    input: z
      .object({
        name: text(1, 100),
        planId: z.string().min(1).max(64),
        size: z.number().int().min(1).max(10_000),
        expiresAt: instant,
        reason: reasonField
      })
      .strict(),
    output: z.object({ batchId: z.string(), size: z.number().int() })
  }),
  opsVouchersExportPins: opsRoute({
    method: 'POST',
    path: '/ops/v1/voucher-batches/:batchId/pins',
    access: 'vouchers.export-pins',
    summary: "the batch's serials and PINs for the printer; works once, then the PINs are gone",
    input: z.object({ batchId: batchParam, reason: reasonField }).strict(),
    output: z.object({
      batchId: z.string(),
      cards: z.array(z.object({ serial: z.string(), pin: z.string() }))
    })
  }),
  opsVouchersShip: opsRoute({
    method: 'POST',
    path: '/ops/v1/voucher-batches/:batchId/ship',
    access: 'vouchers.ship',
    summary: 'ship the batch to a retail partner: its tills may now sell the cards',
    input: z.object({ batchId: batchParam, partnerId: id, reason: reasonField }).strict(),
    output: z.object({ batchId: z.string(), partnerId: z.string(), shipped: z.number().int() })
  }),
  opsVouchersBlock: opsRoute({
    method: 'POST',
    path: '/ops/v1/voucher-batches/:batchId/block',
    access: 'vouchers.block',
    summary: 'block every card of a lost or stolen batch not yet redeemed (made, shipped or sold)',
    input: z.object({ batchId: batchParam, reason: reasonField }).strict(),
    output: z.object({ batchId: z.string(), blocked: z.number().int() })
  }),
  opsVouchersReport: opsRoute({
    method: 'GET',
    path: '/ops/v1/voucher-batches',
    access: 'vouchers.report',
    summary: 'every batch with its cards counted by state',
    input: null,
    output: z.object({
      batches: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          planId: z.string(),
          size: z.number().int(),
          expiresAt: instant,
          createdAt: instant,
          partnerId: z.string().nullable(),
          shippedAt: instant.nullable(),
          pinsExportedAt: instant.nullable(),
          counts: batchCounts
        })
      )
    })
  }),
  opsPartnerSecretRotate: opsRoute({
    method: 'POST',
    path: '/ops/v1/partners/:partnerId/webhook-secret',
    access: 'partners.manage',
    status: 201,
    summary: "issue a web shop's webhook signing secret, replacing the earlier one (shown once)",
    input: z.object({ partnerId: id }).strict(),
    output: z.object({ partnerId: z.string(), secret: z.string() })
  }),
  opsWebshopOrder: opsRoute({
    method: 'POST',
    path: '/ops/v1/webshop/orders',
    access: 'signed',
    summary:
      'the web shop records an order (headers x-dialtone-partner, x-dialtone-timestamp, x-dialtone-signature: v1=hex HMAC-SHA-256 of "<timestamp>.<body>"); idempotent by order number',
    input: webshopOrder,
    output: z.object({ orderNumber: z.string(), status: z.enum(['recorded', 'duplicate']) })
  }),
  opsTillActivate: opsRoute({
    method: 'POST',
    path: '/ops/v1/till/activations',
    access: 'vouchers.activate',
    status: 201,
    summary: "the till sells a card: only a card of a batch shipped to the caller's partner",
    input: z
      .object({
        serial: z
          .string()
          .trim()
          .toUpperCase()
          .regex(/^RU[A-Z0-9_-]{8}\d{5}$/)
      })
      .strict(),
    output: z.object({ serial: z.string(), batchId: z.string(), state: z.literal('active') })
  })
} as const

/**
 * Every ops route, topic by topic: each topic keeps its routes in its own file (routes-<topic>.ts) and adds one
 * line here.
 */
export const OPS_ROUTES = {
  // promotions (issue 20)
  ...PROMOTIONS_OPS_ROUTES,

  // accounts (issue 20)
  ...ACCOUNTS_OPS_ROUTES,
  ...ACCOUNT_SECURITY_OPS_ROUTES,

  // money (issue 20)
  ...MONEY_OPS_ROUTES,

  // numbers and reports (issue 20)
  ...NUMBERS_OPS_ROUTES,

  // carriers (issue 22)
  ...CARRIERS_OPS_ROUTES,
  // the SIP server's flood bans
  ...SIP_OPS_ROUTES,

  // support (issue 25)
  ...SUPPORT_OPS_ROUTES,

  // services (issue 25)
  ...SERVICES_OPS_ROUTES,
  // business (issue 25)
  ...BUSINESS_OPS_ROUTES,
  // the registry's actions: revoked keys, accepted proofs of purchase
  ...REGISTRY_OPS_ROUTES,

  ...CORE_OPS_ROUTES
} as const

export type OpsRoutes = typeof OPS_ROUTES
export type OpsRouteName = keyof OpsRoutes
export type CoreRouteName = keyof typeof CORE_OPS_ROUTES
