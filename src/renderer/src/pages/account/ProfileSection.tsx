/** The Account page's profile: the account's email addresses (which one notices go to, adding and confirming). */
import type { Query } from '../../bridge/dialtone-context'
import type { Profile } from '../../components/account/EmailConfirm'
import { Emails } from '../../components/account/Emails'
import { TimeZone } from '../../components/account/TimeZone'

export function ProfileSection({ profile }: { profile: Query<Profile> }): React.JSX.Element {
  return (
    <>
      <Emails profile={profile} />
      <TimeZone profile={profile} />
    </>
  )
}
