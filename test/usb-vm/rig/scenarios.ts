/** The dongle set-ups whose sysfs trees are recorded as fixtures for the diagnostics tests. */
import { tigerjetProfile, type GadgetProfile } from './profiles'

export interface SysfsScenario {
  name: string
  about: string
  profile: GadgetProfile
}

export const SYSFS_SCENARIOS: SysfsScenario[] = [
  {
    name: 'tigerjet-bus-powered-500ma',
    about:
      'The TigerJet profile as the real dongle declares itself: bus powered, MaxPower 500 mA, full speed.',
    profile: tigerjetProfile()
  },
  {
    name: 'tigerjet-self-powered',
    about: 'The same dongle declaring itself self-powered (bmAttributes 0xC0), MaxPower 500 mA.',
    profile: tigerjetProfile({ selfPowered: true })
  },
  {
    name: 'tigerjet-100ma',
    about: 'The same dongle declaring a 100 mA need (a low-power configuration), bus powered.',
    profile: tigerjetProfile({ maxPowerMa: 100 })
  }
]
