/**
 * The diagnostics domain: the USB stack itself, a full port-power inspection (the same report the
 * dialtone-diag command writes), the export of that report, and the live plug/unplug log.
 */
import { z } from 'zod'
import { hotplugEventSchema, reportSchema } from '../diagnostics/schema'
import { command, domain, event, noArgs } from './define'

export const usbStackSchema = z.object({
  /** libusb initialised and could enumerate. */
  available: z.boolean(),
  hotplug: z.boolean(),
  /** Why the stack is unavailable, in the words of the OS or libusb. */
  error: z.string().nullable()
})
export type UsbStack = z.infer<typeof usbStackSchema>

export const diagnosticsDomain = domain({
  name: 'diagnostics',
  commands: {
    'diagnostics.usbStack': command({
      request: noArgs,
      response: usbStackSchema,
      summary: 'Whether the USB stack answers, and whether it reports hotplug.'
    }),
    'diagnostics.inspect': command({
      request: z.object({ maskSerials: z.boolean() }).strict(),
      response: reportSchema,
      summary:
        'Inspect every dongle’s port: verdicts with their fix and evidence, topology, power need vs budget.'
    }),
    'diagnostics.export': command({
      request: z.object({ format: z.enum(['json', 'html']), maskSerials: z.boolean() }).strict(),
      response: z.object({ fileName: z.string(), mimeType: z.string(), content: z.string() }),
      summary: 'The inspection as a file: versioned JSON, or a printable HTML report.'
    }),
    'diagnostics.events': command({
      request: noArgs,
      response: z.object({ events: z.array(hotplugEventSchema) }),
      summary: 'The plug/unplug/error log of the last day.'
    })
  },
  events: {
    'diagnostics.event': event({
      payload: hotplugEventSchema,
      summary: 'A dongle was plugged, unplugged, or failed.'
    })
  }
})
