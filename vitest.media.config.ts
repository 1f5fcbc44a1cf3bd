/**
 * vitest for the media suite: real WebRTC between Chromium pages through Kamailio. It must run in a network
 * namespace that has only loopback (Chromium gathers ICE candidates on every interface), so `npm run
 * test:media` starts it through scripts/netns.mjs; the suite checks the namespace and fails outside one.
 *
 * Four groups, one after the other in one `vitest run` (`npm run test:media`; vitest runs projects of one group
 * side by side only when they allow as many files at a time, and `media` allows one). `npm test`
 * (scripts/test-all.mjs) instead runs each project as a `vitest run` in a namespace of its own:
 * `sip` beside `journeys`, then `voicemail` beside `media` with the USB rig beside them at the lowest CPU priority
 * (test-all.mjs says why). The projects beside need little CPU, so they cost the ones they run beside little and
 * their time (~100 s and ~75 s) comes off the suite's. `journeys` and `media` each start one Chromium that their
 * files share (test/support/browser-setup.ts), unless a file asks for flags of its own: the journeys Chromium's
 * headless shell, the media files the full browser, which the calls need (test/support/chromium.ts says why).
 * 1. `journeys`: the journeys that carry no audio (the Account page's, the forms walk, right-to-left, the trial
 *    form, email confirmation, forwarding rules on the Phone page): each starts its own service and browser on free
 *    ports, so two run at a time, in one module registry per worker (`isolate: false`): loading the app brain, the
 *    service and Playwright again for each of 22 files cost 107 s of the group's time against 15 s (wall 471 s
 *    against 417 s, the group alone, 60 of 60 passed both ways, 2026-12-05); no journey mocks a module.
 * 2. `sip`: call forwarding at Kamailio (forwarding-calls): no browser, no app, no audio measured; sipp peers,
 *    Kamailio and rtpengine on free ports, and most of its time is Kamailio's own timers (forward after N rings,
 *    voicemail after the contract's wait). Its timings are lower bounds (not before the rings), two with an upper
 *    bound of twice the wait: a busy machine makes Kamailio's timers no shorter (20/20 in each of four runs at load
 *    15-20, twice beside two journeys).
 * 3. `media`: everything with a browser that sends or measures audio or timing (calls, carriers, 911, the first
 *    hour's `npm start`): one file at a time; a tone's level at the MediaEngine and a call's timing must not share
 *    the machine's two cores with another such file. One module registry too, as in group 1. Beside it
 *    `voicemail`: the voicemail server from its SIP side (voicemail-server), no browser, mostly waiting on its
 *    prompts in real time. Not beside the journeys: the length of a message it records depends on baresip playing
 *    the greeting in time, and beside two journeys on a loaded machine (both cores busy) it recorded 1.8 s where
 *    2 s is the floor; the media files leave about a core idle (0.8 of one busy, test-all.mjs).
 * Files that share a registry share a process, so every file must leave nothing running: test/support/leftovers.ts
 * fails the one that does (its first run here found a bounded wait's timer never cleared, in emergency-app, and a
 * UDP socket whose bind had failed left open by the free-port probe, in forwarding-calls).
 */
import { defineConfig } from 'vitest/config'

const JOURNEYS = [
  'test/media/account-*.test.ts',
  'test/media/forms.test.ts',
  'test/media/rtl.test.ts',
  'test/media/trial-form.test.ts',
  'test/media/confirm-email.test.ts',
  'test/media/forwarding-app.test.ts'
]
const SIP_ONLY = ['test/media/forwarding-calls.test.ts']
const VOICEMAIL = ['test/media/voicemail-server.test.ts']
/** One Chromium for a project's files that need no flags of their own (browser-setup.ts). */
const BROWSER = 'test/support/browser-setup.ts'
const common = {
  environment: 'node' as const,
  globalSetup: ['test/support/global-setup.ts'],
  setupFiles: ['test/support/leftovers.ts'],
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
          globalSetup: [...common.globalSetup, BROWSER],
          // No call in them: Chromium's headless shell, a third less CPU (test/support/chromium.ts).
          provide: { chromiumBuild: 'shell' },
          maxWorkers: 2,
          isolate: false,
          sequence: { groupOrder: 0 }
        }
      },
      {
        test: {
          ...common,
          name: 'sip',
          include: SIP_ONLY,
          sequence: { groupOrder: 1 }
        }
      },
      {
        test: {
          ...common,
          name: 'voicemail',
          include: VOICEMAIL,
          sequence: { groupOrder: 3 }
        }
      },
      {
        test: {
          ...common,
          name: 'media',
          include: ['test/media/**/*.test.ts'],
          globalSetup: [...common.globalSetup, BROWSER],
          exclude: [...JOURNEYS, ...SIP_ONLY, ...VOICEMAIL],
          fileParallelism: false,
          isolate: false,
          sequence: { groupOrder: 2 }
        }
      }
    ]
  }
})
