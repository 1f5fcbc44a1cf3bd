/**
 * The Account page's profile: who the account is for (contact details), its email addresses (which one notices
 * go to, adding and confirming), the time zone its business dates are counted in, which notices it gets, and the
 * person's own data: downloading it, closing the account.
 */
import type { Query } from '../../bridge/dialtone-context'
import { ContactDetails } from '../../components/account/ContactDetails'
import type { Profile } from '../../components/account/EmailConfirm'
import { Emails } from '../../components/account/Emails'
import { NotificationSettings } from '../../components/account/NotificationSettings'
import { TimeZone } from '../../components/account/TimeZone'
import { YourData } from '../../components/account/YourData'
import type { AccountClosure } from '../../../../shared/api/privacy'

export function ProfileSection({
  profile,
  closure
}: {
  profile: Query<Profile>
  /** The account's closure (the Account page's, shared with its banner); null for a business's member. */
  closure: Query<AccountClosure> | null
}): React.JSX.Element {
  return (
    <>
      <ContactDetails profile={profile} />
      <Emails profile={profile} />
      <TimeZone profile={profile} />
      <NotificationSettings profile={profile} />
      <YourData closure={closure} />
    </>
  )
}
