/**
 * sipp scenarios for calls the SIP server refuses by policy (resources/kamailio/policy.cfg): an authenticated
 * INVITE that must be answered with `status` and a Reason header whose text is `reason` (sipp fails otherwise).
 */
import { ack, authenticatedInvite, provisional, reply, replyTag, send } from './sipp'

export function refusedCallScenario(status: 403 | 603, reason: string): string {
  const steps = [
    ...authenticatedInvite(),
    ...provisional(2),
    `${replyTag(2, status)}>
    <action>
      <ereg regexp="text=&quot;${reason}&quot;" search_in="hdr" header="Reason:" check_it="true" assign_to="why"/>
    </action>
  </recv>`,
    ack(2, false),
    '  <Reference variables="why"/>'
  ]
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="refused by policy (${status} ${reason})">\n${steps.join('\n')}\n</scenario>\n`
}

/** An authenticated INVITE answered (180 optional, 200), then ended by the other side: its BYE answered 200. */
export function hungUpByPeerScenario(): string {
  const steps = [
    ...authenticatedInvite(),
    ...provisional(2),
    reply(2, 200, 'rrs="true"'),
    ack(2, true),
    '  <recv request="BYE"/>',
    send(
      `SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0`,
      false
    )
  ]
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="answered, then hung up by the other side">\n${steps.join('\n')}\n</scenario>\n`
}
