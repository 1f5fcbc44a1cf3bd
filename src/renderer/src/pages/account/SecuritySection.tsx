/** The Account page's security: the password and the sessions signed in to the account. */
import { useQuery } from '../../bridge/dialtone-context'
import { ChangePassword } from '../../components/account/ChangePassword'
import { Sessions } from '../../components/account/Sessions'

export function SecuritySection(): React.JSX.Element {
  // One query for both: changing the password (which may sign the others out) has the list read again.
  const sessions = useQuery('account.sessions')
  return (
    <>
      <ChangePassword onChanged={sessions.refresh} />
      <Sessions sessions={sessions} />
    </>
  )
}
