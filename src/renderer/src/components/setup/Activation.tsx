/**
 * The wizard's "activate" step: a new dongle starts a free trial (the code comes by email) or is activated as
 * bought (online order or shop, on a new account or the signed-in one; a dongle that cannot prove itself with the
 * code of support's email, once support accepted its proof of purchase); a dongle already on our account needs
 * only signing in, one on someone else's is asked for from its owner (TransferRequest.tsx). Once signed in, what the line still lacks is asked here too — the 911 address first — and
 * the setup goes on by itself when nothing is missing.
 */
import { lazy, Suspense, useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { matchLanguage } from '../../../../shared/i18n/languages'
import type { Device } from '../../../../shared/ipc/device'
import { useAction, useDialtone, useQuery } from '../../bridge/dialtone-context'
import { SignIn } from '../account/SignIn'
import { unlessField } from '../account/PasswordRules'
import { Field, FormError, issueFor } from '../Field'
import { useAreaCodeCheck } from './AreaCode'
import { limit } from '../../limits'
import type { ContactDraft } from './contact-draft'
import { forgetActivationDraft } from './activation-draft'
import { type ActivationFormProps, TrialForm } from './TrialForm'
import { ContactFields, billingAddress, useAcceptances } from './ContactFields'
import { logFailure } from '../../log'
import { Loading } from '../Loading'

// Asking another account's owner for the line is rare on a first start: its own chunk, loaded when needed.
const TransferRequest = lazy(() => import('./TransferRequest').then((m) => ({ default: m.TransferRequest })))
// What comes once activated (the line's 911 address, the email's code): its own chunk, not the first screen's.
const LineNeeds = lazy(() => import('./LineNeeds').then((m) => ({ default: m.LineNeeds })))

const hex = (n: number): string => n.toString(16).padStart(4, '0')
type Mode = 'trial' | 'purchased' | 'signin'

export function Activation({
  device,
  onActivated,
  contact,
  setContact
}: {
  device: Device
  onActivated: () => void
  /** Kept by the wizard, so the answers survive the panel going away while the engine re-checks. */
  contact: ContactDraft
  setContact: (c: ContactDraft) => void
}): React.JSX.Element {
  const { t } = useTranslation()
  const session = useQuery('account.session')
  const serial = device.serial
  const model = `${hex(device.vendorId)}:${hex(device.productId)}`
  const lookup = useQuery('account.lookupDevice', serial ? { serial, model } : null)
  const [mode, setMode] = useState<Mode | null>(null)
  const { refresh: refreshSession } = session
  const { refresh: refreshLookup } = lookup
  const recheck = useCallback(() => {
    refreshSession()
    refreshLookup()
  }, [refreshSession, refreshLookup])
  const activated = session.data?.signedIn === true && lookup.data?.ownedByYou === true
  // Activated, however it came about: the answers and any pending trial are no longer a draft to resume.
  useEffect(() => {
    if (activated && serial) forgetActivationDraft(serial)
  }, [activated, serial])

  if (!serial) return <p className="banner warn">{t('activate.noSerial')}</p>
  // Activated (the code was accepted, or it was already on this account): say what is next, not how to activate.
  if (activated)
    return (
      <>
        <p data-testid="activate-intro" data-next="line">
          {t('setup.waiting.activated')}
        </p>
        <Suspense fallback={<Loading />}>
          <LineNeeds serial={serial} onActivated={onActivated} fallback={contact} />
        </Suspense>
      </>
    )
  const intro = (
    <p data-testid="activate-intro" data-next="activate">
      {t('setup.waiting.activate')}
    </p>
  )
  const info = lookup.data
  // On someone else's account (second-hand): ask its owner to hand it over, instead of a dead end.
  if (info && info.state !== 'unregistered' && !info.ownedByYou)
    return (
      <>
        {intro}
        <Suspense fallback={<Loading />}>
          <TransferRequest
            serial={serial}
            model={model}
            contact={contact}
            setContact={setContact}
            signedIn={session.data?.signedIn === true}
            onChange={recheck}
          />
        </Suspense>
      </>
    )
  const chosen: Mode =
    mode ?? (info?.trialAvailable ? 'trial' : info?.state === 'owned' ? 'signin' : 'purchased')
  return (
    <div className="activation" data-testid="activation">
      {intro}
      {/* A group of toggles, not tabs: tabs promise arrow keys and a roving focus this choice does not need. */}
      <div role="group" aria-label={t('activate.how')} className="segmented">
        {(['trial', 'purchased', 'signin'] as const).map((m) => (
          <button
            key={m}
            type="button"
            className="secondary"
            aria-pressed={chosen === m}
            data-testid={`activate-${m}`}
            disabled={m === 'trial' && info?.trialAvailable === false}
            onClick={() => setMode(m)}
          >
            {t(`activate.modes.${m}`)}
          </button>
        ))}
      </div>
      <FormError error={lookup.error} testId="lookup-error" />
      {info?.needsProofOfPurchase && (
        <p className="note" data-testid="proof-of-purchase-needed">
          {t('attestation.proofNeeded')}
        </p>
      )}
      <div>
        {chosen === 'trial' && (
          <TrialForm
            serial={serial}
            model={model}
            contact={contact}
            setContact={setContact}
            onActivated={() => {
              session.refresh()
              lookup.refresh()
            }}
          />
        )}
        {chosen === 'purchased' && (
          <PurchasedForm
            serial={serial}
            model={model}
            needsProof={info?.needsProofOfPurchase === true}
            signedIn={session.data?.signedIn === true}
            contact={contact}
            setContact={setContact}
            onActivated={() => {
              session.refresh()
              lookup.refresh()
            }}
          />
        )}
        {chosen === 'signin' && <SignIn />}
      </div>
    </div>
  )
}

/** The refusals after which the code of support's email may be what is missing. */
const PROOF_REASONS: ReadonlySet<string> = new Set([
  'device-not-recognised',
  'proof-of-purchase-required',
  'proof-code-invalid',
  'proof-withdrawn'
])

function PurchasedForm({
  serial,
  model,
  signedIn,
  contact,
  setContact,
  onActivated,
  needsProof
}: ActivationFormProps & { signedIn: boolean; needsProof: boolean }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const client = useDialtone()
  const acceptances = useAcceptances(contact)
  const area = useAreaCodeCheck(contact.areaCode)
  const [channel, setChannel] = useState<'retail' | 'online'>('retail')
  const [orderNumber, setOrderNumber] = useState('')
  const [orderEmail, setOrderEmail] = useState('')
  const [existing, setExisting] = useState(signedIn)
  const [proofCode, setProofCode] = useState('')
  const activate = useAction(() =>
    client.invoke('account.activatePurchased', {
      serial,
      model,
      ...(proofCode.trim() ? { proofCode } : {}),
      purchase: channel === 'online' ? { channel, orderNumber, email: orderEmail } : { channel },
      account: existing
        ? { mode: 'existing' }
        : {
            mode: 'new',
            name: contact.name,
            email: contact.email,
            password: contact.password,
            billingAddress: billingAddress(contact),
            language: matchLanguage([i18n.language])
          },
      areaCode: contact.areaCode,
      acceptances
    })
  )
  return (
    <form
      noValidate
      className="form"
      data-testid="purchased-form"
      onSubmit={(e) => {
        e.preventDefault()
        if (activate.pending) return
        void area
          .confirm()
          .then(async (free) => {
            if (free && (await activate.run())) onActivated()
          })
          .catch(logFailure('Activation: area.confirm'))
      }}
    >
      <fieldset>
        <legend>{t('activate.boughtWhere')}</legend>
        {(['retail', 'online'] as const).map((c) => (
          <label key={c} className="inline">
            <input type="radio" name="channel" checked={channel === c} onChange={() => setChannel(c)} />
            {t(`activate.channel.${c}`)}
          </label>
        ))}
      </fieldset>
      {channel === 'online' && (
        <div className="field-grid">
          <Field
            label={t('activate.orderNumber')}
            value={orderNumber}
            onChange={setOrderNumber}
            testId="order-number"
            latinDigits
            maxLength={limit('account.activatePurchased', 'purchase.orderNumber')}
            dir="ltr"
            required
            error={issueFor(activate.error, 'purchase.orderNumber')}
          />
          <Field
            label={t('activate.orderEmail')}
            type="email"
            value={orderEmail}
            onChange={setOrderEmail}
            testId="order-email"
            maxLength={limit('account.activatePurchased', 'purchase.email')}
            dir="ltr"
            required
            error={issueFor(activate.error, 'purchase.email')}
          />
        </div>
      )}
      {signedIn && (
        <label className="inline">
          <input type="checkbox" checked={existing} onChange={(e) => setExisting(e.target.checked)} />
          {t('activate.addToMine')}
        </label>
      )}
      <ContactFields c={contact} set={setContact} error={activate.error} area={area} account={!existing} />
      {/* Where support's code goes once it accepted a proof of purchase: asked for by a dongle that cannot prove
          itself, or by the refusal that sends the person to support. */}
      {(needsProof || proofCode !== '' || PROOF_REASONS.has(activate.error?.reason ?? '')) && (
        <Field
          label={t('activate.proofCode')}
          hint={t('activate.proofCodeHint')}
          value={proofCode}
          onChange={setProofCode}
          testId="proof-code"
          maxLength={limit('account.activatePurchased', 'proofCode')}
          autoComplete="one-time-code"
          spellCheck={false}
          dir="ltr"
          error={issueFor(activate.error, 'proofCode')}
        />
      )}
      <FormError error={unlessField(activate.error, 'proofCode')} testId="purchased-error" />
      <button type="submit" aria-disabled={activate.pending} data-testid="purchased-activate">
        {t('activate.activate')}
      </button>
    </form>
  )
}
