/**
 * Waits for a piece of shutdown work at most `ms`. Stopping a line waits on the network (an un-REGISTER, a
 * SUBSCRIBE ended with Expires: 0, the WebSocket's close); a server that never answers would hold each for
 * SIP's 32 s transaction timeout, and a quit or a sign-out for a minute or more. What was not answered in time
 * is dropped: the registration and the subscription expire on the server by themselves.
 */
export async function settleWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)))
  const settled = work.then(
    () => true,
    () => true
  )
  try {
    return await Promise.race([settled, late])
  } finally {
    clearTimeout(timer)
  }
}
