/**
 * vitest for the media suite: real WebRTC between Chromium pages through Kamailio. It must run in a network
 * namespace that has only loopback (Chromium gathers ICE candidates on every interface), so `npm run
 * test:media` starts it through scripts/netns.mjs; the suite checks the namespace and fails outside one.
 */
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/media/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: false
  }
})
