/** The Account page's security: the password and the sessions signed in to the account. */
export function SecuritySection(): React.JSX.Element {
  return <></>
}
