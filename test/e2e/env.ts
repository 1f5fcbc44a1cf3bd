/** Where the e2e suite's web host and service listen (loopback only). */
const webPort = Number(process.env.DIALTONE_E2E_WEB_PORT ?? 4791)
const servicePort = Number(process.env.DIALTONE_E2E_SERVICE_PORT ?? 4792)

export const E2E = {
  webPort,
  servicePort,
  webUrl: `http://127.0.0.1:${webPort}`,
  serviceUrl: `http://127.0.0.1:${servicePort}`,
  token: 'e2e-token-4f1c9a2b7d3e8f60',
  screenshots: 'test-results/screenshots'
} as const
