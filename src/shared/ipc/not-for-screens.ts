/**
 * The contract's commands that no screen calls, on purpose, each with its reason. Every other command has a
 * caller in the renderer (test/unit/contract-coverage.test.ts fails otherwise), so a capability the service and
 * main offer cannot exist without a place where a person reaches it. Keep this list short: a command here is
 * for the test harness, support tooling or scripts driving the app from outside the page.
 */
import type { CommandName } from './contract'

export const NOT_FOR_SCREENS: Readonly<Partial<Record<CommandName, string>>> = {
  'device.ring':
    'Rings the dongle’s phone from outside the page: the test harness and support tooling check the ringer with it; a person hears it ring on an incoming call.',
  'device.indicator':
    'Sets the dongle’s lamp from outside the page, for the harness and support; the phone drives the lamp itself.',
  'device.linePower':
    'Switches the analog line’s power from outside the page, for the harness and support; the phone manages it.',
  'media.status':
    'Reads the media engine’s state (tones playing, digits detected) from outside the page: the media suite and support tooling assert on it.'
}
