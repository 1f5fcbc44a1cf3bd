/** The diagnostics domain: what technicians need to judge a USB port. Starts with the USB stack itself. */
import { z } from 'zod'
import { command, domain, noArgs } from './define'

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
    })
  },
  events: {}
})
