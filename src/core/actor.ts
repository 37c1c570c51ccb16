import type { ConnectionConfig } from './connectionConfig';

/**
 * The server-side account a connection acts as, as an admin would name it. For header mode it
 * names the header, never its value: the proxy trusts whoever sends that value, so it must not
 * reach an audit log or a message that may be pasted into a ticket.
 */
export function connectionAccount(config: ConnectionConfig): string {
  const a = config.auth;
  return a.mode === 'certificate' ? `${a.userDirectory}\\${a.userId}` : a.mode === 'header' ? `the user in header ${a.headerName}` : 'a JWT account';
}

/** "who" in an audit entry: the local admin, the tool, and the account the server saw. */
export function describeActor(localUser: string | undefined, surface: 'CLI' | 'VS Code', config: ConnectionConfig): string {
  return `${localUser || 'unknown user'} (${surface}) as ${connectionAccount(config)}`;
}
