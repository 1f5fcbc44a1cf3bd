/**
 * The setup wizard for one dongle, the face of main's setup engine: the seven steps in order with how each
 * ended, the current one's progress, and what the person must do when it waits (allow the access rule, or run its
 * command in a terminal and press Continue, activate or sign in, give the 911 address, plug the dongle back in).
 * The engine keeps the state, so closing the window, restarting or unplugging resumes here at the same step.
 * Everything the person reads is translated; main's own sentences (English, for support), the finished steps' and
 * the current one's, sit folded under "Technical details".
 * The Connect step and the finished wizard follow the live line status: why the line is not registered and what
 * to do (LineProblem), the new number as soon as there is one, and "ready" only while the line really is.
 * What only a later step or a failure shows (the activation forms with sign-in, the line's problem, a refusal
 * worded) is fetched when shown: beside a newly plugged dongle the first page is the steps and their progress.
 */
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useSession } from '../../session'
import type { Device } from '../../../../shared/ipc/device'
import { SETUP_STEP_NAMES } from '../../../../shared/ipc/setup'
import type { PayloadOf } from '../../../../shared/ipc/contract'
import { isolate } from '../../../../shared/i18n/bidi'
import { useAction, useDialtone, useEvent, useQuery } from '../../bridge/dialtone-context'
import { useLineStatus } from '../phone/use-call-state'
import type { LineStatus } from '../../../../shared/ipc/phone'
import { type ContactDraft, EMPTY_CONTACT } from './contact-draft'
import { keepActivationDraft, readActivationDraft } from './activation-draft'
import { lineReady } from './line-ready'
import { logFailure } from '../../log'
import { Loading } from '../Loading'
import { Said } from '../Said'
import { TechnicalDetails } from '../TechnicalDetails'
import { usePhoneNumbers } from '../../phone-numbers'
import { UPDATES } from '../../remedies'
import { SETTINGS } from '../../remedies'
import { failurePlace } from './failure-place'
import { RoleProvider } from '../business/role'
import { AllowAccess } from './AllowAccess'
import { Refusal } from './Refusal'

type Setup = PayloadOf<'setup.progress'>

// Not on the first page beside a dongle (its steps run first): each its own chunk, fetched when shown.
const Activation = lazy(() => import('./Activation').then((m) => ({ default: m.Activation })))
const LineProblem = lazy(() => import('../phone/LineProblem').then((m) => ({ default: m.LineProblem })))
/**
 * What the person typed into the activation form, per dongle, kept while the window is open: unplugging the dongle
 * takes the wizard off the screen, and plugging it back must not make them type it all again. A reload or a
 * restart starts from what activation-draft.ts kept in localStorage (all but the password, for 24 hours).
 */
const drafts = new Map<string, ContactDraft>()

export function SetupWizard({ device }: { device: Device }): React.JSX.Element {
  const { t } = useTranslation()
  const phone = usePhoneNumbers()
  const client = useDialtone()
  const state = useQuery('setup.state', { deviceId: device.id })
  const { update } = state
  useEvent(
    'setup.progress',
    useCallback((s: Setup) => s.deviceKey === device.id && update(() => s), [device.id, update])
  )
  const run = useAction(() => client.invoke('setup.run', { deviceId: device.id }))
  const runSetup = run.run
  const started = useRef(false)
  const serial = device.serial
  // After a reload, what this window kept of it (without the password: activation-draft.ts).
  const [contact, setDraft] = useState(
    () =>
      drafts.get(device.id) ?? (serial ? readActivationDraft(serial)?.contact : undefined) ?? EMPTY_CONTACT
  )
  const setContact = useCallback(
    (c: ContactDraft) => {
      drafts.set(device.id, c)
      if (serial) keepActivationDraft(serial, { contact: c })
      setDraft(c)
    },
    [device.id, serial]
  )
  const s = state.data
  const line = useLineStatus().data
  const session = useSession()
  const signedIn = session.data?.signedIn === true
  // Opening the wizard resumes a setup that has not finished (or starts one the first time).
  useEffect(() => {
    if (state.loading || started.current || s?.status === 'done' || s?.status === 'running') return
    started.current = true
    void runSetup().catch(logFailure('SetupWizard: runSetup'))
  }, [state.loading, s?.status, runSetup])

  const current = s?.step ?? 'detect'
  const index = SETUP_STEP_NAMES.indexOf(current)
  return (
    <section className="card wizard" aria-labelledby={`wizard-${device.id}`} data-testid="setup-wizard">
      <h2 id={`wizard-${device.id}`}>
        {s?.status !== 'done'
          ? t('setup.title')
          : lineReady(line)
            ? t('setup.readyTitle')
            : t('setup.setUpTitle')}
      </h2>
      {line?.number && (s?.step === 'registered' || s?.status === 'done') && (
        <p className="big-figure" data-testid="setup-number">
          {t('phone.yourNumber', { number: isolate(phone(line.number)) })}
        </p>
      )}
      <ol className="steps">
        {SETUP_STEP_NAMES.map((step, i) => {
          const result = s?.results.find((r) => r.step === step)
          const mark = result ? result.outcome : i === index && s ? s.status : i < index ? 'done' : 'todo'
          return (
            <li
              key={step}
              className={`step step-${mark}`}
              aria-current={i === index && s?.status !== 'done' ? 'step' : undefined}
              data-testid={`setup-step-${step}`}
              data-state={mark}
            >
              <span className="step-name">{t(`setup.steps.${step}`)}</span>
              <span className="muted"> {t(`setup.marks.${mark}`)}</span>
            </li>
          )
        })}
      </ol>
      {s && (s.results.length > 0 || s.message) && (
        <details className="setup-log">
          <summary>{t('setup.details')}</summary>
          {/* English lines, laid out left to right in a Persian page too (as TechnicalDetails does). */}
          <ul lang="en" dir="ltr" data-testid="setup-log">
            {s.results.map((r) => (
              <li key={r.step}>
                {r.step}: {r.message}
              </li>
            ))}
            {s.message && s.status !== 'done' && (
              <li data-testid="setup-detail">
                {s.step} ({s.status}): {s.message}
              </li>
            )}
          </ul>
        </details>
      )}
      {s && (
        <Current
          device={device}
          s={s}
          line={line}
          signedIn={signedIn}
          onContinue={() => void runSetup().catch(logFailure('SetupWizard: runSetup'))}
          contact={contact}
          setContact={setContact}
        />
      )}
      <Refusal error={run.error ?? state.error} testId="setup-error" />
      {/* A step that starts waiting for the person is said: the page changed below the list, which is not read. */}
      <Said
        look="unseen"
        testId="setup-said"
        said={s?.status === 'waiting' ? t('setup.needsYou', { step: t(`setup.steps.${s.step}`) }) : ''}
      />
    </section>
  )
}

/** The link beside a failure's "Try again", to where its sentence sends the person. */
function FailurePlace({ code }: { code: string | undefined }): React.JSX.Element {
  const { t } = useTranslation()
  const place = failurePlace(code)
  const testId =
    place === UPDATES
      ? 'setup-failed-update'
      : place === SETTINGS
        ? 'setup-failed-settings'
        : 'setup-failed-help'
  return (
    <a href={place.href} data-testid={testId}>
      {t(place.label)}
    </a>
  )
}

function Current({
  device,
  s,
  line,
  signedIn,
  onContinue,
  contact,
  setContact
}: {
  device: Device
  s: Setup
  line: LineStatus | undefined
  signedIn: boolean
  onContinue: () => void
  contact: ContactDraft
  setContact: (c: ContactDraft) => void
}): React.JSX.Element {
  const { t } = useTranslation()
  if (s.status === 'done' && device.problem?.code === 'PERMISSION_NEEDED')
    // Set up once, and access to the dongle lost since (the rule removed, the system reinstalled): the Allow the
    // device's problem names, here again, before the line's state (nothing works without access to the dongle).
    return (
      <div className="note" data-testid="setup-access-lost">
        <AllowAccess device={device} onAllowed={onContinue} />
      </div>
    )
  if (s.status === 'done' && line && !lineReady(line))
    // Set up once, but the line is not there now (signed out, or down) or has a problem (suspended, lapsed): say so
    // instead of "ready".
    return (
      <div className="note" data-testid="setup-done-offline" data-line={line.state}>
        {line.state === 'unconfigured' && !signedIn ? (
          <p>
            {t('setup.noLineNow')} <a href="#/account">{t('line.openAccount')}</a>
          </p>
        ) : line.problem ? (
          <Suspense fallback={<Loading />}>
            <RoleProvider>
              <LineProblem status={line} />
            </RoleProvider>
          </Suspense>
        ) : (
          <p role="status">{t('setup.waiting.registered')}</p>
        )}
      </div>
    )
  if (s.status === 'done')
    return (
      <div className="note" role="status" data-testid="setup-done">
        <p className="big-figure">{t('setup.liftHandset')}</p>
        <p>{t('setup.doneHint')}</p>
      </div>
    )
  if (s.status === 'failed')
    return (
      <div role="alert" className="banner error" data-testid="setup-failed">
        <p>{t('setup.failed', { step: t(`setup.steps.${s.step}`) })}</p>
        {s.error && (
          <>
            <p data-testid="setup-failure">
              {t(`setup.failure.${s.error.code}`, { defaultValue: t('setup.failure.internal') })}
            </p>
            <TechnicalDetails text={s.error.message} />
          </>
        )}
        <p className="actions">
          <button type="button" onClick={onContinue} data-testid="setup-retry">
            {t('setup.retry')}
          </button>{' '}
          {/* Where the failure's sentence sends the person: Settings for a newer app or the service's address,
          Help for "if it stays, contact support" (failure-place.ts). */}
          <FailurePlace code={s.error?.code} />
        </p>
      </div>
    )
  if (s.status === 'running')
    return (
      <div role="status" data-testid="setup-running">
        <p>{t(`setup.running.${s.step}`)}</p>
        <progress
          max={100}
          value={s.percent ?? undefined}
          aria-label={t(`setup.steps.${s.step}`)}
          data-testid="setup-progress"
        />
      </div>
    )
  // Waiting for the person (or for something outside, like the dongle coming back).
  return (
    <div data-testid="setup-waiting" data-step={s.step}>
      {s.step === 'registered' && line?.problem ? (
        <Suspense fallback={<Loading />}>
          <RoleProvider>
            <LineProblem status={line} />
          </RoleProvider>
        </Suspense>
      ) : s.step === 'power' && s.verdict ? (
        // The port cannot run the dongle: the diagnostics' cause, and where to plug it instead.
        <div className="banner error" role="alert" data-testid="setup-power-stop" data-verdict={s.verdict}>
          <p>
            <strong>{t(`verdict.${s.verdict}.title`)}</strong>
          </p>
          <p>{t(`verdict.${s.verdict}.cause`)}</p>
          <p>{t('setup.powerTryPort')}</p>
          <p>
            <a href="#/diagnostics">{t('diagnostics.title')}</a>
          </p>
        </div>
      ) : s.step === 'activate' ? null : ( // Activation says what it needs, which changes once activated.
        <p>{t(`setup.waiting.${s.step}`)}</p>
      )}
      {s.step === 'permissions' && <AllowAccess device={device} onAllowed={onContinue} />}
      {s.step === 'activate' && (
        <Suspense fallback={<Loading />}>
          <Activation device={device} onActivated={onContinue} contact={contact} setContact={setContact} />
        </Suspense>
      )}
      {s.step !== 'activate' && s.step !== 'permissions' && !(s.step === 'registered' && line?.problem) && (
        <button type="button" className="secondary" onClick={onContinue} data-testid="setup-continue">
          {t('setup.continue')}
        </button>
      )}
    </div>
  )
}
