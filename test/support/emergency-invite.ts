/** The emergency INVITE's parser, shared with the dev stack's 933 service: scripts/lib/emergency-invite.ts. */
export * from '../../scripts/lib/emergency-invite'
