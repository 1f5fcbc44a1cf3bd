/**
 * vitest for the media suite: real WebRTC between Chromium pages through Kamailio. It must run in a network
 * namespace that has only loopback (Chromium gathers ICE candidates on every interface), so `npm run
 * test:media` starts it through scripts/netns.mjs; the suite checks the namespace and fails outside one.
 *
 * Two groups, one after the other. First the journeys that carry no audio (the Account page's, the forms walk,
 * right-to-left, the trial form, email confirmation): each starts its own service and browser on free ports, so
 * two run at a time. Then everything that sends or measures audio or timing (calls, carriers, 911, the first
 * hour's `npm start`), one file at a time: a tone's level and a call's timing must not share the machine's two
 * cores with another file.
 */
import { defineConfig } from 'vitest/config'

const JOURNEYS = [
  'test/media/account-*.test.ts',
  'test/media/forms.test.ts',
  'test/media/rtl.test.ts',
  'test/media/trial-form.test.ts',
  'test/media/confirm-email.test.ts'
]
const common = {
  environment: 'node' as const,
  globalSetup: ['test/support/global-setup.ts'],
  testTimeout: 30_000,
  hookTimeout: 60_000
}

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...common,
          name: 'journeys',
          include: JOURNEYS,
          maxWorkers: 2,
          sequence: { groupOrder: 0 }
        }
      },
      {
        test: {
          ...common,
          name: 'media',
          include: ['test/media/**/*.test.ts'],
          exclude: JOURNEYS,
          fileParallelism: false,
          sequence: { groupOrder: 1 }
        }
      }
    ]
  }
})
