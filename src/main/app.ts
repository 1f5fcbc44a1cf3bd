/**
 * The composition root of the companion's brain. createApp(ports) builds every service from the ports it is
 * given and returns the dispatcher and event bus that a host binds to its transport. The Electron host and
 * the web host call this with real ports; tests call it with real ports where a real thing exists here and
 * fakes written from recorded behaviour where none can.
 */
import type { AppInfo } from '../shared/ipc/app'
import type { PayloadOf } from '../shared/ipc/contract'
import { VIRTUAL_DEVICE_ID } from '../shared/ipc/device'
import type { Settings } from '../shared/settings'
import { accountHandlers, routeCaller } from './account/account-handlers'
import { DeviceAttester } from './account/device-attestation'
import { AccountReminders } from './account/account-reminders'
import { AccountService } from './account/account-service'
import { LineChangeWatch } from './account/line-change-watch'
import type { ServiceClient } from './account/service-client'
import { DeviceManager } from './device/device-manager'
import { storedFirmware } from './device/virtual-firmware-store'
import { DongleWatch } from './dongle-watch'
import type { HidPort } from './device/hid-port'
import type { HidSystem } from './device/hid-system'
import type { UsbPort } from './device/usb-port'
import type { CommandRunner } from './diagnostics/command-runner'
import { DiagnosticsService } from './diagnostics/diagnostics-service'
import { HotplugLog } from './diagnostics/hotplug-log'
import { inspectUsbStack } from './diagnostics/usb-stack'
import { createDispatcher, type Dispatch, type Handlers } from './ipc/dispatcher'
import { EventBus } from './ipc/event-bus'
import { logFailure, type Logger } from './log/logger'
import { MediaBridge } from './phone/media-bridge'
import { PhoneService } from './phone/phone-service'
import { TONE_PLANS } from './phone/tone-plans'
import type { BackoffOptions } from './backoff'
import type { HeartbeatOptions } from './phone/connection-heartbeat'
import type { NetworkWatchOptions } from './phone/network-watch'
import { checkPermissions, permissionsFor, toPlatform } from './setup/permissions'
import { SetupEngine, type SetupStep } from './setup/setup-engine'
import { AppUpdates, type UpdaterPort } from './setup/app-updates'
import { setupSteps } from './setup/setup-steps'
import { installUdevRule } from './setup/udev-install'
import { loadTrustedKeys } from './setup/trusted-keys'
import { LinePowerKeeper } from './setup/line-power-keeper'
import { join } from 'node:path'
import type { KeyValueStore } from './store/key-value-store'
import type { SecretVault } from './store/secret-vault'
import { SettingsService } from './store/settings-service'

export interface HostInfo {
  readonly host: AppInfo['host']
  readonly version: string
  readonly dataDir: string
  readonly electronVersion: string | null
}

/** How soon a setup stopped on a power verdict inspects the port again. */
const POWER_RECHECK_MS = 15_000

/** How often main looks for a service ending or a card expiring (besides sign-in and line changes). */
const REMINDER_CHECK_MS = 12 * 60 * 60 * 1000

export interface AppPorts {
  readonly info: HostInfo
  readonly usb: UsbPort
  readonly hid: HidPort
  readonly hidSystem: HidSystem
  readonly store: KeyValueStore
  readonly service: ServiceClient
  /** Where the account session token is kept between runs (safeStorage in Electron). */
  readonly vault: SecretVault
  readonly fileExists: (path: string) => boolean
  readonly platform: string
  readonly log: Logger
  /** Runs the OS commands diagnostics read (journalctl, PowerShell, ioreg). */
  readonly run: CommandRunner
  /** /sys/bus/usb/devices by default; tests point it at a recorded tree. */
  readonly sysRoot?: string
  /** The recorded sysfs tree the virtual dongle is inspected from (resources/virtual/sysfs). */
  readonly virtualSysfs: string
  /** This installation's defaults for settings the person has not chosen (e.g. the service address). */
  readonly settingsDefaults?: Partial<Settings>
  /** --virtual-dongle: the virtual dongle is on for this run whatever the setting says. */
  readonly forceVirtualDongle?: boolean
  /** The dev stack's mailbox page (devMailboxUrl in node-ports.ts); never in a packaged app. */
  readonly devMailboxUrl?: string
  /** The update source (a folder URL holding manifest.json); none configured: updates are skipped, and said so. */
  readonly updateUrl?: string
  /** Folders of trusted update keys (resources/update-keys, $DIALTONE_UPDATE_KEYS_DIR). */
  readonly updateKeyDirs?: readonly string[]
  /** resources/udev/70-dialtone.rules of this installation (Linux). */
  readonly udevRulePath?: string
  /** The SIP line's reconnect back-off (tests shorten it). */
  readonly sipBackoff?: BackoffOptions
  /** The SIP line's heartbeat on its connection (tests shorten it). */
  readonly sipHeartbeat?: HeartbeatOptions
  /** Where and how often the network's addresses are read (tests pass their own). */
  readonly networkWatch?: NetworkWatchOptions
  /** How long a new dongle's HID node may take to appear (tests shorten it). */
  readonly identifyTimeoutMs?: number
  /** How soon a setup stopped on a power verdict looks at the port again (tests shorten it). */
  readonly powerRecheckMs?: number
  /** How long after start a set-up dongle may take to appear before the person is told (tests shorten it). */
  readonly dongleMissingAfterMs?: number
  /** How long attestation waits for a dongle unplugged mid-attestation to come back (tests shorten it). */
  readonly replugWaitMs?: number
  /** The app's own updater (electron-updater in a packaged Electron app); none: updates are 'unavailable'. */
  readonly appUpdater?: UpdaterPort
}

export interface DialtoneApp {
  readonly dispatch: Dispatch
  readonly events: EventBus
  readonly settings: SettingsService
  readonly devices: DeviceManager
  readonly account: AccountService
  readonly phone: PhoneService
  readonly media: MediaBridge
  /** Starts the watchers (USB hotplug) and the virtual dongle when chosen; commands work before it too. */
  start(): void
  dispose(): Promise<void>
}

export function createApp(ports: AppPorts): DialtoneApp {
  const events = new EventBus(ports.log)
  const settings = new SettingsService(ports.store, events, ports.settingsDefaults)
  const devices = new DeviceManager(
    ports.usb,
    ports.hid,
    ports.hidSystem,
    events,
    ports.log.child({ area: 'device' }),
    {
      identifyTimeoutMs: ports.identifyTimeoutMs,
      virtualFirmware: storedFirmware(ports.store)
    }
  )
  const virtualWanted = (): boolean => ports.forceVirtualDongle === true || settings.get().virtualDongle
  const done = (): null => null
  const hotplugLog = new HotplugLog(ports.store, events)
  const diagnostics = new DiagnosticsService(
    {
      platform: ports.platform,
      usb: ports.usb,
      hid: ports.hid,
      hidSystem: ports.hidSystem,
      run: ports.run,
      sysRoot: ports.sysRoot
    },
    hotplugLog,
    ports.info.version,
    { enabled: () => devices.virtualPresent, sysfsRoot: ports.virtualSysfs }
  )
  const platform = toPlatform(ports.platform)
  const serviceUrl = (): string => settings.get().serviceUrl
  const account = new AccountService({
    client: ports.service,
    vault: ports.vault,
    serviceUrl,
    events,
    log: ports.log.child({ area: 'account' }),
    clientName: `Dialtone ${ports.info.version} (${platform})`
  })
  const attester = new DeviceAttester({
    devices,
    challenge: (claim) => account.call('deviceChallenge', claim),
    log: ports.log.child({ area: 'attestation' }),
    replugWaitMs: ports.replugWaitMs
  })
  const reminders = new AccountReminders(account, events, ports.store, ports.log.child({ area: 'reminders' }))
  let reminderTimer: ReturnType<typeof setInterval> | null = null
  const media = new MediaBridge({ events, log: ports.log.child({ area: 'media' }) })
  const phone = new PhoneService({
    media,
    account,
    events,
    log: ports.log.child({ area: 'phone' }),
    store: ports.store,
    backoff: ports.sipBackoff,
    heartbeat: ports.sipHeartbeat,
    networkWatch: ports.networkWatch,
    tonePlan: () => TONE_PLANS[settings.get().tonePlan],
    messageWaiting: async (on) => {
      for (const d of devices
        .list()
        .devices.filter((x) => x.capabilities?.indicators.includes('messageWaiting') === true))
        await devices.indicator(d.id, 'messageWaiting', on)
    },
    ring: async (on) => {
      for (const d of devices.list().devices.filter((x) => x.capabilities?.ring === true))
        await devices
          .ring(d.id, on)
          .catch((err: unknown) => ports.log.warn({ err, device: d.id }, 'ring failed'))
    }
  })

  const setup = new SetupEngine(
    ports.store,
    setupSteps({
      device: (id) => devices.list().devices.find((d) => d.id === id) ?? null,
      detailed: (id) => devices.detailed(id),
      permissions: () => checkPermissions(platform, ports.fileExists),
      linePower: (id, on) => devices.linePower(id, on),
      ring: (id, on) => devices.ring(id, on),
      media: () => media.status(),
      account,
      phone: () => phone.status,
      firmware: (id) => devices.driverFor(id)?.firmware ?? null,
      diagnose: async () => (await diagnostics.report(true)).verdicts,
      updates: {
        updateUrl: ports.updateUrl ?? null,
        trustedKeys: () => loadTrustedKeys(ports.updateKeyDirs ?? []),
        appVersion: ports.info.version,
        downloadDir: join(ports.info.dataDir, 'updates')
      }
    }),
    (s) => events.emit('setup.progress', s)
  )

  /** Runs a device's setup unless it is done, or (with `only`) unless it waits at one of those steps. */
  const resumeSetup = (id: string, only?: readonly SetupStep[]): void => {
    const s = setup.get(id)
    // A stored 'running' is a run cut short by a crash; run() joins one that is really in flight.
    if (s?.status === 'done') return
    if (only && (!s || s.status === 'failed' || !only.includes(s.step))) return
    setup.run(id).catch((err: unknown) => ports.log.warn({ err, device: id }, 'setup stopped'))
  }

  const linePowerKeeper = new LinePowerKeeper({
    device: (id) => devices.list().devices.find((d) => d.id === id) ?? null,
    setupDone: (id) => setup.get(id)?.status === 'done',
    linePower: (id, on) => devices.linePower(id, on),
    warn: (err, id) => ports.log.warn({ err, device: id }, 'line power on failed')
  })

  const real = (id: string): boolean => id !== VIRTUAL_DEVICE_ID
  const dongleWatch = new DongleWatch(
    () => setup.finished().some(real),
    () => devices.list().devices.some((d) => !d.virtual),
    (trouble) => events.emit('device.trouble', trouble),
    { missingAfterMs: ports.dongleMissingAfterMs }
  )

  const appUpdates = new AppUpdates(ports.appUpdater ?? null, {
    inCall: () => phone.callState.call !== null,
    changed: (state) => events.emit('app.updateChanged', state)
  })

  const linesChanged = (after: string): void => events.emit('account.linesChanged', { after })
  // What changes on the service by itself (support, a job, another computer) says account.linesChanged too.
  const lineWatch = new LineChangeWatch({ account, events, log: ports.log.child({ area: 'line-changes' }) })

  // A setup stopped on a power verdict looks again by itself: a verdict such as a reconnect loop clears with time,
  // and the person may fix the port without unplugging (a powered hub switched on).
  const powerRechecks = new Map<string, ReturnType<typeof setTimeout>>()
  const recheckPower = (s: PayloadOf<'setup.progress'>): void => {
    const waiting = s.step === 'power' && s.status === 'waiting' && s.unplugged !== true
    if (!waiting || powerRechecks.has(s.deviceKey)) return
    const timer = setTimeout(() => {
      powerRechecks.delete(s.deviceKey)
      if (devices.list().devices.some((d) => d.id === s.deviceKey)) resumeSetup(s.deviceKey, ['power'])
    }, ports.powerRecheckMs ?? POWER_RECHECK_MS)
    timer.unref?.()
    powerRechecks.set(s.deviceKey, timer)
  }

  const handlers: Handlers = {
    'app.info': () => ({
      name: 'Dialtone',
      version: ports.info.version,
      host: ports.info.host,
      platform,
      arch: process.arch,
      dataDir: ports.info.dataDir,
      nodeVersion: process.versions.node,
      electronVersion: ports.info.electronVersion,
      ...(ports.devMailboxUrl ? { devMailboxUrl: ports.devMailboxUrl } : {})
    }),
    'app.settings.get': () => settings.get(),
    'app.settings.set': (patch) => settings.set(patch),
    'app.update.state': () => appUpdates.state(),
    'app.update.check': () => appUpdates.check(),
    'app.update.install': () => appUpdates.install(),
    'device.list': () => devices.list(),
    'device.ring': ({ id, on }) => devices.ring(id, on).then(done),
    'device.indicator': ({ id, name, on }) => devices.indicator(id, name, on).then(done),
    'device.linePower': ({ id, on }) => devices.linePower(id, on).then(done),
    'device.virtual.handset': ({ offHook }) => (devices.virtualHandset(offHook), null),
    'device.virtual.press': ({ key }) => (devices.virtualPress(key), null),
    'device.virtual.flash': () => (devices.virtualFlash(), null),
    'diagnostics.usbStack': () => inspectUsbStack(ports.usb),
    'diagnostics.inspect': ({ maskSerials }) => diagnostics.report(maskSerials),
    'diagnostics.export': ({ format, maskSerials }) => diagnostics.export(format, maskSerials),
    'diagnostics.events': () => ({ events: hotplugLog.list() }),
    'setup.permissions': () => permissionsFor(platform, ports.fileExists, devices.list().devices),
    'setup.run': ({ deviceId }) => setup.run(deviceId),
    'setup.state': ({ deviceId }) => setup.get(deviceId),
    'setup.installPermissions': async ({ deviceId }) => {
      if (!ports.udevRulePath)
        return { installed: false, reason: 'this build has no udev rule to install', command: '' }
      const out = await installUdevRule(ports.run, ports.udevRulePath)
      // With access granted, re-probe the dongles and let the setup continue (its permissions step re-checks).
      if (out.installed) {
        await devices.rescan()
        await devices.reopenRefused()
        if (deviceId) void setup.run(deviceId).catch(logFailure(ports.log, 'setup.run'))
      }
      return out
    },
    // The person ran the rule's command in a terminal: nothing announces it (no attach), so they say so here.
    'setup.checkPermissions': async ({ deviceId }) => {
      await devices.rescan()
      await devices.reopenRefused()
      return setup.run(deviceId)
    },
    'phone.status': () => phone.status,
    'phone.callState': () => phone.callState,
    'phone.dial': ({ number }) => phone.calls.dialFromScreen(number),
    'phone.hangup': () => phone.calls.handle({ type: 'onHook' }),
    'phone.answer': () => phone.calls.handle({ type: 'offHook' }),
    'phone.press': ({ key }) => phone.calls.handle({ type: 'digit', key }),
    'phone.flash': () => phone.calls.handle({ type: 'flash' }),
    'phone.transfer': async ({ number }) => ({ outcome: await phone.calls.transfer(number) }),
    'phone.mute': ({ on }) => phone.calls.mute(on),
    'phone.doNotDisturb': ({ on }) => phone.calls.handle({ type: 'doNotDisturb', on }),
    'phone.history': () => ({ calls: phone.calls.history() }),
    'phone.clearHistory': ({ accountId }) => ({ calls: phone.calls.clearHistory(accountId) }),
    'phone.reconnect': () => (phone.kick(), phone.status),
    'media.attach': ({ engineId }) => media.attach(engineId),
    'media.detach': ({ engineId }) => media.detach(engineId),
    'media.reply': (reply) => media.reply(reply),
    'media.report': (report) => media.report(report),
    'media.status': () => media.status(),
    ...accountHandlers(account, ports.service, serviceUrl, attester)
  }

  return {
    dispatch: createDispatcher(
      handlers,
      routeCaller(account, linesChanged),
      ports.log.child({ area: 'ipc' })
    ),
    events,
    settings,
    devices,
    account,
    phone,
    media,
    start() {
      hotplugLog.follow()
      phone.start()
      lineWatch.start()
      devices.start()
      void devices.setVirtual(virtualWanted()).catch(logFailure(ports.log, 'devices.setVirtual'))
      events.subscribe((name, payload) => {
        if (name === 'app.settingsChanged')
          void devices.setVirtual(virtualWanted()).catch(logFailure(ports.log, 'devices.setVirtual'))
        if (name === 'setup.progress') recheckPower(payload as PayloadOf<'setup.progress'>)
        if (name === 'device.phoneEvent') phone.deviceEvent((payload as PayloadOf<'device.phoneEvent'>).event)
        if (name === 'device.changed') {
          const { change } = payload as PayloadOf<'device.changed'>
          dongleWatch.changed(change)
          linePowerKeeper.changed(change)
          if (change.kind === 'detached') setup.unplug(change.id)
          if (change.kind === 'detached' && devices.list().devices.length === 0) phone.handsetGone()
          // A dongle plugged in (new, or back after an unplug) starts or resumes its setup by itself.
          if (change.kind === 'attached') resumeSetup(change.id)
        }
        // What the activate and registered steps wait for may have happened: signed in, line registered.
        if (
          name === 'account.sessionChanged' ||
          name === 'account.linesChanged' ||
          name === 'phone.statusChanged'
        )
          for (const d of devices.list().devices) resumeSetup(d.id, ['activate', 'registered'])
        if (name === 'account.sessionChanged' || name === 'account.linesChanged')
          void reminders.check().catch(logFailure(ports.log, 'reminders.check'))
      })
      // Dongles already present (the virtual one is made before the subscription above) get their line power.
      for (const d of devices.list().devices) linePowerKeeper.changed({ kind: 'updated', id: d.id })
      dongleWatch.start()
      void reminders.check().catch(logFailure(ports.log, 'reminders.check'))
      reminderTimer = setInterval(
        () => void reminders.check().catch(logFailure(ports.log, 'reminders.check')),
        REMINDER_CHECK_MS
      )
      reminderTimer.unref?.()
    },
    dispose: async () => {
      if (reminderTimer) clearInterval(reminderTimer)
      for (const t of powerRechecks.values()) clearTimeout(t)
      dongleWatch.dispose()
      lineWatch.stop()
      await phone.dispose()
      media.dispose()
      await devices.dispose()
    }
  }
}
