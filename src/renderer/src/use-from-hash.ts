/**
 * A value read from the address (#/account/billing, #/account/join …), following it as it changes: the Account
 * page's part and whether an invitation's address was opened read the same way.
 */
import { useEffect, useState } from 'react'

/** `read` of the current address, again at each change of it; `read` is a module-level function (not re-bound). */
export function useFromHash<T>(read: (hash: string) => T): T {
  const [value, setValue] = useState(() => read(window.location.hash))
  useEffect(() => {
    const onHash = (): void => setValue(() => read(window.location.hash))
    window.addEventListener('hashchange', onHash)
    return () => window.removeEventListener('hashchange', onHash)
  }, [read])
  return value
}
