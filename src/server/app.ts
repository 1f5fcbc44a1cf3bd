/**
 * The account, provisioning and billing service (Fastify). This is its skeleton: the health route the app
 * uses to tell whether the service answers. The account and billing issues build the /v1 API on it.
 */
import Fastify, { type FastifyInstance } from 'fastify'
import { version } from '../../package.json'

export function buildServer(): FastifyInstance {
  const server = Fastify({ logger: false, bodyLimit: 64 * 1024 })
  server.get('/v1/health', async () => ({ status: 'ok', version }))
  return server
}
