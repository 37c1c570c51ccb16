/** Claim names virtual proxies are commonly set up to read the user id and directory from. */
const USER_ID_CLAIMS = ['userId', 'userid', 'user', 'sub'];
const DIRECTORY_CLAIMS = ['userDirectory', 'userdirectory', 'directory'];

/**
 * Who a JWT says it is: `DIR\id (as claimed by the token)`, or null when the payload names
 * nobody. The signature is not verified (the proxy does that); this only labels the connection,
 * so the label says the claim is the token's, not something the server confirmed.
 */
export function jwtIdentity(token: string): string | null {
  const payload = token.split('.')[1];
  if (payload === undefined) {
    return null;
  }
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof claims !== 'object' || claims === null) {
    return null;
  }
  const pick = (names: readonly string[]): string | undefined => {
    for (const name of names) {
      const value: unknown = Reflect.get(claims, name);
      if (typeof value === 'string' && value.length > 0) {
        return value;
      }
    }
    return undefined;
  };
  const userId = pick(USER_ID_CLAIMS);
  if (userId === undefined) {
    return null;
  }
  const directory = pick(DIRECTORY_CLAIMS);
  return `${directory ? `${directory}\\` : ''}${userId} (as claimed by the token)`;
}
