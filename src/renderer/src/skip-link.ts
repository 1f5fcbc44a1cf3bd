/**
 * "Skip to content" without following its address: the app routes on the address's hash, and '#content' would
 * name no page (the Device page, by default). The link keeps its `href` for what it is and moves the focus itself.
 */
export function skipToContent(event: Event | { preventDefault(): void }, doc: Document = document): void {
  event.preventDefault()
  doc.getElementById('content')?.focus()
}

/** Whether an address names a place of the app ('#/account/billing'); another hash (an anchor) is not a route. */
export const isRoute = (hash: string): boolean => hash === '' || hash.startsWith('#/')
