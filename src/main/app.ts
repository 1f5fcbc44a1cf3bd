/**
 * The composition root of the companion's brain. createApp(ports) builds every service from the ports it is
 * given and returns the dispatcher and event bus that a host binds to its transport. The Electron host and
 * the web host call this with real ports; tests call it with real ports where a real thing exists here and
 * fakes written from recorded behaviour where none can.
 */
import type { AppInfo } from '../shared/ipc/app'
import type { LineStatus } from '../shared/ipc/phone'
import type { Settings } from '../shared/settings'
import type { ServiceClient } from './account/service-client'
import { DeviceService } from './device/device-service'
import type { UsbPort } from './device/usb-port'
import { inspectUsbStack } from './diagnostics/usb-stack'
import { createDispatcher, type Dispatch, type Handlers } from './ipc/dispatcher'
import { EventBus } from './ipc/event-bus'
import type { Logger } from './log/logger'
import { checkPermissions, toPlatform } from './setup/permissions'
import type { KeyValueStore } from './store/key-value-store'
import { SettingsService } from './store/settings-service'

export interface HostInfo {
  readonly host: AppInfo['host']
  readonly version: string
  readonly dataDir: string
  readonly electronVersion: string | null
}

export interface AppPorts {
  readonly info: HostInfo
  readonly usb: UsbPort
  readonly store: KeyValueStore
  readonly service: ServiceClient
  readonly fileExists: (path: string) => boolean
  readonly platform: string
  readonly log: Logger
  /** This installation's defaults for settings the person has not chosen (e.g. the service address). */
  readonly settingsDefaults?: Partial<Settings>
}

export interface DialtoneApp {
  readonly dispatch: Dispatch
  readonly events: EventBus
  readonly settings: SettingsService
  /** Starts the watchers (USB hotplug); commands work before it too. */
  start(): void
  dispose(): void
}

/** Until the phone issue provisions a line, the truthful status is that none is set up. */
const NO_LINE: LineStatus = { state: 'unconfigured', number: null, reason: null }

export function createApp(ports: AppPorts): DialtoneApp {
  const events = new EventBus(ports.log)
  const settings = new SettingsService(ports.store, events, ports.settingsDefaults)
  const devices = new DeviceService(ports.usb, events, ports.log.child({ area: 'device' }))
  const platform = toPlatform(ports.platform)

  const handlers: Handlers = {
    'app.info': () => ({
      name: 'Dialtone',
      version: ports.info.version,
      host: ports.info.host,
      platform,
      arch: process.arch,
      dataDir: ports.info.dataDir,
      nodeVersion: process.versions.node,
      electronVersion: ports.info.electronVersion
    }),
    'app.settings.get': () => settings.get(),
    'app.settings.set': (patch) => settings.set(patch),
    'device.list': () => devices.list(),
    'diagnostics.usbStack': () => inspectUsbStack(ports.usb),
    'setup.permissions': () => checkPermissions(platform, ports.fileExists),
    'phone.status': () => NO_LINE,
    'account.serviceStatus': () => ports.service.status(settings.get().serviceUrl)
  }

  return {
    dispatch: createDispatcher(handlers, ports.log.child({ area: 'ipc' })),
    events,
    settings,
    start: () => devices.start(),
    dispose: () => devices.dispose()
  }
}
