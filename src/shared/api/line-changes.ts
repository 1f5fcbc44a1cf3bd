/**
 * How a running app hears that its lines changed on the service (support suspended or restored one, it lapsed, an
 * operator moved its number): a long poll. The app asks with the version of the lines it last heard of; the service
 * answers at once when the lines' version is another, else holds the answer until a change is heard or
 * LINE_CHANGES_HOLD_S pass, and answers the version then. A version is a digest of what the app shows of its lines
 * (service side: src/server/provisioning/line-version.ts), so a change is never missed between two polls: the next
 * poll finds the version moved. The app's side: src/main/account/line-change-watch.ts.
 *
 * Why a long poll and not server-sent events or a WebSocket: it is one more route of the route table (validated both
 * ways, in the OpenAPI document, behind the same admission control and HAProxy as every other), and a change a
 * process did not hear (another process's, a dropped connection) is still found by the version.
 */
import { z } from 'zod'

/** The longest the service holds a poll's answer: under HAProxy's 60 s client and server timeouts. */
export const LINE_CHANGES_HOLD_S = 25

/** A digest of the lines as the app shows them (base64url). */
export const linesVersion = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a version the service gave')

export const lineChangesQuery = z.object({ since: linesVersion.optional() }).strict()

export const lineChangesAnswer = z.object({ version: linesVersion })
