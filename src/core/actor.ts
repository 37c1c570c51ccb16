import type { ConnectionConfig } from './connectionConfig';

/** The server-side account a connection acts as, as an admin would name it. */
export function connectionAccount(config: ConnectionConfig): string {
  const a = config.auth;
  return a.mode === 'certificate' ? `${a.userDirectory}\\${a.userId}` : a.mode === 'header' ? a.headerValue : 'a JWT account';
}

/** "who" in an audit entry: the local admin, the tool, and the account the server saw. */
export function describeActor(localUser: string | undefined, surface: 'CLI' | 'VS Code', config: ConnectionConfig): string {
  return `${localUser || 'unknown user'} (${surface}) as ${connectionAccount(config)}`;
}
