/**
 * A bench line's sip.js user agent options (signalling only, the app's own static description handler), shared by
 * the bench's caller (bench-lines.ts) and its bare sip.js answerer (answer-sipjs.ts). A file of its own because the
 * answerer is bundled alone and must not pull in the service that bench-lines.ts starts.
 */
import { type UserAgentOptions, UserAgent } from 'sip.js'
import { staticSdhFactory } from '../../src/main/phone/static-sdh'
import type { SipCredentials } from '../../src/shared/api/devices'

export function benchUserAgentOptions(creds: SipCredentials): UserAgentOptions {
  return {
    uri: UserAgent.makeURI(creds.uri),
    authorizationUsername: creds.authorizationUsername,
    authorizationPassword: creds.password,
    transportOptions: { server: creds.websocketUrl },
    sessionDescriptionHandlerFactory: staticSdhFactory(),
    logLevel: 'error',
    logBuiltinEnabled: false
  }
}
