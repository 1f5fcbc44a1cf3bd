/**
 * The Account page's profile: who the account is for (contact details), its email addresses (which one notices
 * go to, adding and confirming), the time zone its business dates are counted in, and which notices it gets.
 */
import type { Query } from '../../bridge/dialtone-context'
import { ContactDetails } from '../../components/account/ContactDetails'
import type { Profile } from '../../components/account/EmailConfirm'
import { Emails } from '../../components/account/Emails'
import { NotificationSettings } from '../../components/account/NotificationSettings'
import { TimeZone } from '../../components/account/TimeZone'

export function ProfileSection({ profile }: { profile: Query<Profile> }): React.JSX.Element {
  return (
    <>
      <ContactDetails profile={profile} />
      <Emails profile={profile} />
      <TimeZone profile={profile} />
      <NotificationSettings profile={profile} />
    </>
  )
}
