/**
 * The simulated PSAP's sipp scenario (the dev stack's emergency gateway, and the tests'): a UAS that checks what
 * a PSAP needs before it answers. sipp fails the call (and its exit code says so) unless the INVITE asserts a
 * callback number (P-Asserted-Identity: <sip:+digits@...;user=phone>) and either carries a location (Geolocation
 * with a cid: URI, Geolocation-Routing, a multipart body with an application/pidf+xml part holding a civic
 * address) or is flagged as having none (Dialtone-Location: none, and no Geolocation). It answers with audio and
 * then waits for the caller's BYE, or hangs up itself right after the ACK (a PSAP that drops the call at once).
 * It answers OPTIONS (dispatcher's health probes: an emergency gateway of the routing table is probed like a
 * carrier's). `answer: '503'` and `'mute'` make a failing PSAP: one that refuses every call, one that takes
 * probes but never answers an INVITE at all (Kamailio must pass the call to the next emergency gateway).
 */

/**
 * sipp's log action (-trace_logs) writing the message just received, under a line saying so. A step of its own
 * after the recv: inside the recv's own action, [last_message] is still the message before it.
 */
const LOG_RECEIVED = `  <nop>
    <action>
      <log message="----- received by the PSAP:"/>
      <log message="[last_message]"/>
    </action>
  </nop>`

/** A regular expression inside an XML attribute. */
const attr = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

const ereg = (header: string, regexp: string, opts: { inverse?: boolean; assign: string }): string =>
  `      <ereg regexp="${attr(regexp)}" search_in="hdr" header="${header}:" ${
    opts.inverse ? 'check_it_inverse="true"' : 'check_it="true"'
  } assign_to="${opts.assign}"/>`

const body = (regexp: string, assign: string): string =>
  `      <ereg regexp="${attr(regexp)}" search_in="body" check_it="true" assign_to="${assign}"/>`

const reply = (
  status: string,
  rest: string,
  retrans: boolean
): string => `  <send${retrans ? ' retrans="500"' : ''}><![CDATA[
SIP/2.0 ${status}
[last_Via:]
[last_From:]
[last_To:];tag=psap[call_number]
[last_Call-ID:]
[last_CSeq:]
[last_Record-Route:]
Contact: <sip:psap@[local_ip]:[local_port];transport=[transport]>
${rest}
]]></send>`

const SDP = `Content-Type: application/sdp
Content-Length: [len]

v=0
o=psap 1 1 IN IP4 [local_ip]
s=-
c=IN IP4 [local_ip]
t=0 0
m=audio [media_port] RTP/AVP 0`

/**
 * located true: the call must carry a location; false: it must say it has none; 'either': the dev stack's PSAP
 * and address-test service, which take both (and log every message for a person to read) but still insist on a
 * callback number. hangUp: wait for the caller's BYE, hang up right after the ACK, or after a while.
 */
export function psapScenario(opts: {
  located: boolean | 'either'
  hangUp: 'caller' | 'atOnce' | { afterMs: number }
  answer?: 'ok' | '503' | 'mute'
  /**
   * Writes each call's messages as received (INVITE, ACK, BYE) to sipp's -log_file (-trace_logs): the dev stack's
   * psap-messages.log, what a person reads to see what a PSAP gets. Kamailio's OPTIONS probes (every 2 s, which
   * made -trace_msg's file grow ~1.7 MB an hour) are answered but not written.
   */
  logCalls?: boolean
}): string {
  const checks = [
    ereg('P-Asserted-Identity', '<sip:[+][0-9]{11,15}@[^;>]+;user=phone>', { assign: 'callback' }),
    ereg('From', '.*', { assign: 'caller' }),
    ...(opts.located === 'either'
      ? []
      : opts.located
        ? [
            ereg('Geolocation', '<cid:[^>]+>', { assign: 'geolocation' }),
            ereg('Geolocation-Routing', 'yes', { assign: 'routing' }),
            ereg('Content-Type', 'multipart/mixed', { assign: 'multipart' }),
            body('Content-Type: application/pidf[+]xml', 'pidf'),
            body('civicAddress', 'civic')
          ]
        : [
            ereg('Dialtone-Location', 'none', { assign: 'flag' }),
            ereg('Geolocation', '.', { inverse: true, assign: 'nogeo' })
          ])
  ]
  const bye = `  <send retrans="500"><![CDATA[
BYE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[routes]
From: <sip:psap@[local_ip]:[local_port]>;tag=psap[call_number]
To: [$caller]
Call-ID: [call_id]
CSeq: 1 BYE
Contact: <sip:psap@[local_ip]:[local_port];transport=[transport]>
Max-Forwards: 70
Content-Length: 0
]]></send>
  <recv response="200"/>`
  const byeOk = `  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0
]]></send>`
  // After a while: the caller's BYE if it comes first, else the PSAP's own (labels 1 and 2).
  const end =
    opts.hangUp === 'atOnce'
      ? bye
      : opts.hangUp === 'caller'
        ? `  <recv request="BYE"/>\n${byeOk}`
        : `  <recv request="BYE" timeout="${opts.hangUp.afterMs}" ontimeout="1"/>
${byeOk}
  <nop next="2"/>
  <label id="1"/>
${bye}
  <label id="2"/>`
  // A failing PSAP: 503 to every INVITE, or nothing at all (sipp holds the call, then forgets it).
  const answered =
    opts.answer === '503'
      ? `${reply('503 Service Unavailable', 'Content-Length: 0', false)}\n  <recv request="ACK"/>`
      : opts.answer === 'mute'
        ? '  <pause milliseconds="15000"/>'
        : `${reply('180 Ringing', 'Content-Length: 0', false)}
${reply('200 OK', `Subject: callback [$callback]\n${SDP}`, true)}
  <recv request="ACK"/>
${end}`
  const xml = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="simulated PSAP (${opts.located === 'either' ? 'any' : opts.located ? 'located' : 'flagged'} calls)">
  <recv request="OPTIONS" optional="true" next="options"/>
  <recv request="INVITE" rrs="true">
    <action>
${checks.join('\n')}
    </action>
  </recv>
${opts.logCalls ? `${LOG_RECEIVED}\n` : ''}${answered}
  <nop next="done"/>
  <label id="options"/>
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=psap[call_number]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0
]]></send>
  <label id="done"/>
  <Reference variables="${[...checks.join('').matchAll(/assign_to="(\w+)"/g)].map((m) => m[1]).join(',')}"/>
</scenario>
`
  // The call's other requests, as received, after its INVITE (OPTIONS are never logged).
  return opts.logCalls ? xml.replace(/( *<recv request="(?:ACK|BYE)"[^>]*?\/>)/g, `$1\n${LOG_RECEIVED}`) : xml
}
