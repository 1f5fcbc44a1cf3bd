/**
 * "Allow": Dialtone installs its device rule (udev) so this user may open the dongle, or, where it cannot (no
 * administrator's consent here), shows the command to run and a Continue that checks again. The setup's
 * permissions step, and the same again for a dongle set up before whose access was lost since (the rule removed,
 * the system reinstalled), where the device's problem says to choose Allow.
 */
import { useTranslation } from 'react-i18next'
import type { Device } from '../../../../shared/ipc/device'
import { useAction, useDialtone } from '../../bridge/dialtone-context'
import { logFailure } from '../../log'
import { TechnicalDetails } from '../TechnicalDetails'
import { Refusal } from './Refusal'

export function AllowAccess({
  device,
  onAllowed
}: {
  device: Device
  onAllowed: () => void
}): React.JSX.Element {
  const { t } = useTranslation()
  const client = useDialtone()
  const allow = useAction(() => client.invoke('setup.installPermissions', { deviceId: device.id }))
  // After the person ran the rule's command themselves: main opens the dongle again and the step checks again.
  const recheck = useAction(() => client.invoke('setup.checkPermissions', { deviceId: device.id }))
  // Checked again and still refused: the step waits again, or (set up before) the dongle still cannot be opened.
  const stillNoAccess =
    recheck.data !== undefined &&
    ((recheck.data.step === 'permissions' && recheck.data.status === 'waiting') ||
      device.problem?.code === 'PERMISSION_NEEDED')
  return (
    <>
      <button
        type="button"
        aria-disabled={allow.pending}
        data-testid="setup-allow"
        onClick={() =>
          void allow
            .run()
            .then((r) => r?.installed && onAllowed())
            .catch(logFailure('AllowAccess: allow.run'))
        }
      >
        {t('setup.allow')}
      </button>
      {allow.data?.installed === false && allow.data.command && (
        // "…then press Continue": the button right under the command, which checks again and goes on.
        <div className="note" data-testid="setup-allow-manual">
          <p>
            {t('setup.allowManual')} <code dir="ltr">{allow.data.command}</code>
          </p>
          <TechnicalDetails text={allow.data.reason} />
          {stillNoAccess && (
            <p role="status" data-testid="setup-still-no-access">
              {t('setup.stillNoAccess')}
            </p>
          )}
          <button
            type="button"
            className="secondary"
            aria-disabled={recheck.pending}
            data-testid="setup-recheck"
            onClick={() => void recheck.run().catch(logFailure('AllowAccess: recheck.run'))}
          >
            {t('setup.continue')}
          </button>
        </div>
      )}
      <Refusal error={allow.error} testId="setup-allow-error" />
      <Refusal error={recheck.error} testId="setup-recheck-error" />
    </>
  )
}
