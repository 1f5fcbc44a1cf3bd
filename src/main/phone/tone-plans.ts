/** The tone plans shipped in resources/tones, validated when main loads them (a broken file fails at start). */
import cept from '../../../resources/tones/cept.json'
import us from '../../../resources/tones/us.json'
import { type TonePlan, tonePlanSchema } from '../../shared/telephony/tones'

export const TONE_PLANS: Readonly<Record<'us' | 'cept', TonePlan>> = {
  us: tonePlanSchema.parse(us),
  cept: tonePlanSchema.parse(cept)
}
