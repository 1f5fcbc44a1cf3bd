/** zod schemas for the diagnostics shapes that cross the contract; each is checked against its interface. */
import { z } from 'zod'
import { PROBLEM_CODES } from '../ipc/device'
import type { DongleObservation, HotplugEvent, LogEvidence, Observations } from './observations'
import type { DiagnosticsReport, TopologyNode } from './report'
import { VERDICT_CODES, type Verdict } from './verdicts'

export const hotplugEventSchema = z.object({
  time: z.string(),
  kind: z.enum(['attach', 'detach', 'error']),
  deviceId: z.string(),
  problem: z.enum(PROBLEM_CODES).nullable().optional(),
  detail: z.string().nullable()
}) satisfies z.ZodType<HotplugEvent>

const logSchema = z.object({
  time: z.string().nullable(),
  source: z.enum(['kernel', 'windows-pnp', 'macos']),
  kind: z.enum([
    'descriptor-read-error',
    'address-error',
    'enumeration-failed',
    'over-current',
    'insufficient-power',
    'over-budget',
    'cannot-enable',
    'emi-disabled',
    'connect-debounce',
    'hub-status-failed',
    'not-top-speed',
    'disconnect',
    'reset',
    'new-device'
  ]),
  target: z.string().nullable(),
  line: z.string()
}) satisfies z.ZodType<LogEvidence>

const n = z.number().nullable()
const dongleSchema = z.object({
  id: z.string(),
  vendorId: z.number(),
  productId: z.number(),
  name: z.string(),
  serial: z.string().nullable(),
  declaredMa: n,
  selfPowered: z.boolean().nullable(),
  needMa: n,
  speedMbps: n,
  configured: z.boolean().nullable(),
  power: z.object({
    control: z.string().nullable(),
    runtimeStatus: z.string().nullable(),
    autosuspendDelayMs: n
  }),
  port: z
    .object({
      name: z.string(),
      overCurrentCount: n,
      connectType: z.string().nullable(),
      state: z.string().nullable(),
      disabled: z.boolean().nullable(),
      hubStatus: z
        .object({
          connected: z.boolean(),
          powered: z.boolean(),
          enabled: z.boolean(),
          suspended: z.boolean(),
          overCurrent: z.boolean(),
          overCurrentChanged: z.boolean()
        })
        .nullable()
    })
    .nullable(),
  chain: z.array(
    z.object({
      id: z.string(),
      root: z.boolean(),
      selfPowered: z.boolean().nullable(),
      version: z.string().nullable(),
      ports: n
    })
  ),
  permission: z.enum(['ok', 'denied', 'unknown']),
  problemCode: n,
  problemText: z.string().nullable()
}) satisfies z.ZodType<DongleObservation>

export const observationsSchema = z.object({
  platform: z.enum(['linux', 'win32', 'darwin', 'other']),
  collector: z.enum(['linux-sysfs', 'windows-pnp', 'macos-ioreg']),
  collectedAt: z.string(),
  inspected: z.boolean(),
  error: z.string().nullable(),
  dongles: z.array(dongleSchema),
  logs: z.array(logSchema),
  events: z.array(hotplugEventSchema),
  selectiveSuspend: z.boolean().nullable()
}) satisfies z.ZodType<Observations>

export const verdictSchema = z.object({
  code: z.enum(VERDICT_CODES),
  severity: z.enum(['problem', 'warning', 'info', 'ok']),
  deviceId: z.string().nullable(),
  title: z.string(),
  cause: z.string(),
  fix: z.string(),
  evidence: z.array(z.string())
}) satisfies z.ZodType<Verdict>

const topologySchema: z.ZodType<TopologyNode> = z.lazy(() =>
  z.object({
    id: z.string(),
    kind: z.enum(['root-hub', 'hub', 'dongle']),
    label: z.string(),
    power: z.string().nullable(),
    // Absent in reports made before the app worded the tree itself (report.ts's TopologyNode).
    usbVersion: z.string().nullable().optional(),
    powerSource: z.enum(['self', 'bus']).nullable().optional(),
    name: z.string().optional(),
    declaredMa: n.optional(),
    budgetMa: n,
    needMa: n,
    onDonglePath: z.boolean(),
    children: z.array(topologySchema)
  })
)

export const reportSchema = z.object({
  schema: z.literal('dialtone.diagnostics/1'),
  createdAt: z.string(),
  appVersion: z.string(),
  platform: z.enum(['linux', 'win32', 'darwin', 'other']),
  collector: z.enum(['linux-sysfs', 'windows-pnp', 'macos-ioreg']),
  health: z.enum(['healthy', 'problems', 'not-inspected']),
  verdicts: z.array(verdictSchema),
  topology: z.array(topologySchema),
  observations: observationsSchema,
  events: z.array(hotplugEventSchema)
}) satisfies z.ZodType<DiagnosticsReport>
