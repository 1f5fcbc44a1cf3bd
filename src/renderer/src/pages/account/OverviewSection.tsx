/**
 * The Account page's overview: balance and top-up and minutes packs, usage by day or month, the lines at a
 * glance and each line with its 911 address, number and renewal (a business's billing member, who does not use
 * the lines, sees only their renewals), device upgrade offers and the itemised calls.
 */
import type { ResponseOf } from '../../../../shared/ipc/contract'
import { useEvent, useQuery } from '../../bridge/dialtone-context'
import { AccountNotices } from '../../components/account/AccountNotices'
import { Balance } from '../../components/account/Balance'
import { CallDetails } from '../../components/account/CallDetails'
import { LineCard } from '../../components/account/LineCard'
import { LineRenewals } from '../../components/account/LineRenewals'
import { LinesOverview } from '../../components/account/LinesOverview'
import { SuspendedLines } from '../../components/account/LineSuspended'
import { Transfers } from '../../components/account/Transfers'
import { UpgradeOffers } from '../../components/account/UpgradeOffers'
import { UsageChart } from '../../components/account/UsageChart'
import { FormError } from '../../components/Field'
import { ConnectedServices } from '../../components/services/ConnectedServices'
import { Allowed, useMayCall } from '../../components/business/role'

type LineInfo = ResponseOf<'account.lines'>['lines'][number]

export function OverviewSection(): React.JSX.Element {
  const lines = useQuery('account.lines')
  const { update } = lines
  useEvent('account.linesChanged', lines.refresh)
  const mayUseLines = useMayCall('line')
  const replace = (next: LineInfo): void =>
    update((prev) => ({ lines: (prev?.lines ?? []).map((x) => (x.id === next.id ? next : x)) }))
  return (
    <>
      {lines.data && <SuspendedLines lines={lines.data.lines} />}
      <Allowed routes={['checkout']}>{lines.data && <AccountNotices lines={lines.data.lines} />}</Allowed>
      {/* What a business member's role may not use is not offered (issue 25; the service refuses it anyway). */}
      <div className="two-col">
        <Allowed routes={['balance']}>
          <Balance />
        </Allowed>
        <Allowed routes={['usageSeries']}>
          <UsageChart />
        </Allowed>
      </div>
      <FormError error={lines.error} testId="lines-error" />
      {lines.data && <LinesOverview lines={lines.data.lines} onChange={replace} />}
      {mayUseLines ? (
        lines.data?.lines.map((l) => <LineCard key={l.id} line={l} onChange={replace} />)
      ) : (
        <Allowed routes={['checkout']}>{lines.data && <LineRenewals lines={lines.data.lines} />}</Allowed>
      )}
      <Allowed routes={['lineServices']}>
        {lines.data && <ConnectedServices lines={lines.data.lines} />}
      </Allowed>
      <Allowed routes={['transfers']}>
        <Transfers />
      </Allowed>
      <Allowed routes={['upgradeOffers']}>
        <UpgradeOffers />
      </Allowed>
      <Allowed routes={['callDetails']}>
        <CallDetails />
      </Allowed>
    </>
  )
}
