/**
 * The address of the "I was invited to a business account" screen (#/account/join; the invitation email names
 * it). Apart from ./JoinBusiness.tsx because the sign-in form checks the address at once, while the screen's code
 * loads only when it is opened.
 */
export const JOIN_HASH = '#/account/join'

/** Whether the address asks for the join screen. */
export const joinAsked = (hash: string): boolean => hash.replace(/\?.*$/, '') === JOIN_HASH
