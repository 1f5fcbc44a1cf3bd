/**
 * Mounts the voicemail of the line this app's phone uses (the account's line with the phone's number, else its
 * first line with a number) on the Phone page, for a signed-in person.
 */
import { useQuery } from '../../bridge/dialtone-context'
import { VoicemailMessages } from './VoicemailMessages'

export function Voicemail({
  number,
  waiting
}: {
  number: string | null
  waiting: boolean
}): React.JSX.Element | null {
  const lines = useQuery('account.lines')
  const usable = (lines.data?.lines ?? []).filter((l) => l.number && l.status !== 'closed')
  const line = usable.find((l) => l.number === number) ?? usable[0]
  if (!line) return null
  return <VoicemailMessages key={line.id} lineId={line.id} waiting={waiting} />
}
