/**
 * The dev mailbox (embedded default only, off when SMTP is configured): every email and SMS the service queued,
 * newest first, as a page a newcomer opens to read their activation code, and as JSON for tests. Loopback
 * deployments only; it shows codes, so it is never on when the service sends real mail.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { isLoopbackHost } from '../../config'
import type { ServiceContext } from '../../context'
import { ServiceError } from '../errors'

const message = z.object({
  id: z.string(),
  channel: z.enum(['email', 'sms']),
  to: z.string(),
  subject: z.string(),
  body: z.string().nullable(),
  purpose: z.string(),
  createdAt: z.string()
})

const escape = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c
  )

export function devMailboxRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  return async (app) => {
    // Codes are shown here: only to a browser on this machine, whatever a proxy in front may say.
    app.addHook('onRequest', async (request) => {
      if (!isLoopbackHost(request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? ''))
        throw new ServiceError('forbidden', 'the dev mailbox is shown on this machine only', {
          reason: 'dev-mailbox-local'
        })
    })
    async function messages(to?: string) {
      let q = ctx.db.selectFrom('outbox').selectAll().orderBy('created_at', 'desc').limit(100)
      if (to) q = q.where('recipient', '=', to.toLowerCase().startsWith('+') ? to : to.toLowerCase())
      const rows = await q.execute()
      return rows.map((r) => ({
        id: r.id,
        channel: r.channel,
        to: r.recipient,
        subject: r.subject,
        body: r.body,
        purpose: r.purpose,
        createdAt: r.created_at
      }))
    }
    app.get(
      '/dev/mailbox.json',
      {
        schema: {
          hide: true,
          querystring: z.object({ to: z.string().max(254).optional() }),
          response: { 200: z.object({ messages: z.array(message) }) }
        }
      },
      async (req) => ({ messages: await messages(req.query.to) })
    )
    app.get('/dev/mailbox', { schema: { hide: true } }, async (_req, reply) => {
      const items = (await messages())
        .map(
          (m) =>
            // SMS and emails alike: a heading, who it went to and when, the text (an SMS's subject is ours, not sent).
            `<article data-channel="${m.channel}"><h2>${escape(m.subject)}</h2>` +
            `<p class="meta">${m.channel === 'sms' ? 'SMS' : 'Email'} to ${escape(m.to)} · ${escape(m.createdAt)}</p>` +
            `<pre>${escape(m.body ?? '(body removed after 24 hours)')}</pre></article>`
        )
        .join('\n')
      return reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
        .send(
          `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Dialtone dev mailbox</title>` +
            `<meta http-equiv="refresh" content="5"><style>body{font:15px system-ui;max-width:46rem;margin:2rem auto;padding:0 1rem}` +
            `article{border-bottom:1px solid #ccc;padding:.5rem 0}.meta{color:#555}pre{white-space:pre-wrap}</style></head>` +
            `<body><h1>Dev mailbox</h1><p>Emails and SMS the service would have sent (no SMTP server or SMS gateway configured). Refreshes every 5 s.</p>` +
            `${items || '<p>No messages yet.</p>'}</body></html>`
        )
    })
  }
}
