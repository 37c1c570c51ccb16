import { randomBytes, type KeyObject } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { TLSSocket } from 'node:tls';
import { JwtError, verifyRs256Jwt } from '../simJwt';
import type { QrsSimState, SimClock } from './qrsSimState';

/** Who a request acts as, and whether they hold admin rights. */
export interface QrsActor {
  readonly userDirectory: string;
  readonly userId: string;
  /** `DIR\id`, as QRS writes modifiedByUserName. */
  readonly key: string;
  readonly admin: boolean;
}

/** The result of authenticating one request. */
export type QrsAuthOutcome =
  | { readonly ok: true; readonly actor: QrsActor; readonly setCookie?: string }
  | { readonly ok: false; readonly status: number; readonly message: string };

/** What the authenticator needs to know about the site. */
export interface QrsAuthOptions {
  /** `DIR\id` accounts with full rights. */
  readonly admins: readonly string[];
  readonly headerProxy: { readonly prefix: string; readonly headerName: string };
  readonly jwtProxy: { readonly prefix: string };
  readonly jwtPublicKey: KeyObject;
  readonly clock: SimClock;
  readonly state: QrsSimState;
}

/** The proxy's session inactivity timeout (Qlik's default is 30 minutes). */
const SESSION_IDLE_MS = 30 * 60_000;

/**
 * The directory a header-auth virtual proxy puts users in when the header carries a bare id.
 * Real proxies are configured with one directory; the simulator's is CORP.
 */
const HEADER_PROXY_DIRECTORY = 'CORP';

/** QRS's answer to a missing or mismatched xrfkey. */
export const XRF_FAILURE = 'XSRF prevention check failed. Possible XSRF discovered.';

/** True when the request carries the same valid 16-character xrfkey in query and header. */
export function xrfkeyValid(query: URLSearchParams, headers: IncomingHttpHeaders): boolean {
  let fromQuery: string | undefined;
  for (const [name, value] of query) {
    // Qlik's own examples write `Xrfkey=`: the name is not case-sensitive.
    if (name.toLowerCase() === 'xrfkey') {
      fromQuery = value;
    }
  }
  const fromHeader = headers['x-qlik-xrfkey'];
  return (
    fromQuery !== undefined &&
    typeof fromHeader === 'string' &&
    /^[0-9a-zA-Z]{16}$/.test(fromQuery) &&
    fromQuery === fromHeader
  );
}

/** Parses `UserDirectory=DIR; UserId=ID` (keys without case, spaces anywhere). */
export function parseQlikUserHeader(value: string): { userDirectory: string; userId: string } | undefined {
  const parts = new Map<string, string>();
  for (const piece of value.split(';')) {
    const eq = piece.indexOf('=');
    if (eq > 0) {
      parts.set(piece.slice(0, eq).trim().toLowerCase(), piece.slice(eq + 1).trim());
    }
  }
  const userDirectory = parts.get('userdirectory');
  const userId = parts.get('userid');
  return userDirectory && userId ? { userDirectory, userId } : undefined;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

function cookieValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  for (const part of (headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      return part.slice(eq + 1).trim();
    }
  }
  return undefined;
}

interface Session {
  readonly prefix: string;
  readonly userDirectory: string;
  readonly userId: string;
  lastSeen: number;
}

/**
 * Authenticates like the three doors into a real site: mutual TLS on :4242 with X-Qlik-User,
 * and two virtual proxies (header, JWT) that hand out a session cookie and then accept it
 * alone. A valid session cookie wins over credentials sent with it, as on the Qlik proxy.
 */
export class QrsAuthenticator {
  private readonly admins: Set<string>;
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly options: QrsAuthOptions) {
    this.admins = new Set(options.admins.map((a) => a.toLowerCase()));
  }

  private actor(userDirectory: string, userId: string): QrsActor {
    const key = `${userDirectory}\\${userId}`;
    return { userDirectory, userId, key, admin: this.admins.has(key.toLowerCase()) };
  }

  /** `/qrs/...`: a client certificate signed by the site CA, acting as X-Qlik-User (default sa_repository). */
  certificate(req: IncomingMessage): QrsAuthOutcome {
    const socket = req.socket;
    if (!(socket instanceof TLSSocket) || !socket.authorized) {
      return { ok: false, status: 403, message: 'Client certificate required' };
    }
    const header = headerValue(req.headers, 'x-qlik-user');
    if (header === undefined) {
      return { ok: true, actor: this.actor('INTERNAL', 'sa_repository') };
    }
    const user = parseQlikUserHeader(header);
    if (!user) {
      return { ok: false, status: 400, message: `X-Qlik-User must look like "UserDirectory=DIR; UserId=ID", not "${header}".` };
    }
    return { ok: true, actor: this.actor(user.userDirectory, user.userId) };
  }

  /** `/<prefix>/qrs/...` through the header or JWT virtual proxy. */
  proxy(req: IncomingMessage, kind: 'header' | 'jwt'): QrsAuthOutcome {
    const prefix = kind === 'header' ? this.options.headerProxy.prefix : this.options.jwtProxy.prefix;
    const cookieName = `X-Qlik-Session-${prefix}`;
    const now = this.options.clock.now();
    const sessionId = cookieValue(req.headers, cookieName);
    const session = sessionId === undefined ? undefined : this.sessions.get(sessionId);
    if (session && session.prefix === prefix && now - session.lastSeen < SESSION_IDLE_MS) {
      session.lastSeen = now;
      this.options.state.auth.byCookie++;
      return { ok: true, actor: this.actor(session.userDirectory, session.userId) };
    }
    if (sessionId !== undefined) {
      this.sessions.delete(sessionId);
    }
    const user = kind === 'header' ? this.fromHeader(req) : this.fromJwt(req);
    if ('status' in user) {
      return { ok: false, ...user };
    }
    const id = randomBytes(16).toString('hex');
    this.sessions.set(id, { prefix, ...user, lastSeen: now });
    this.options.state.auth.byCredentials++;
    return {
      ok: true,
      actor: this.actor(user.userDirectory, user.userId),
      setCookie: `${cookieName}=${id}; Path=/${prefix}; HttpOnly; Secure; SameSite=None`,
    };
  }

  /** The header carries `DIR\id`; a bare id lands in the proxy's configured directory. */
  private fromHeader(req: IncomingMessage): { userDirectory: string; userId: string } | { status: number; message: string } {
    const raw = headerValue(req.headers, this.options.headerProxy.headerName)?.trim();
    if (!raw) {
      return { status: 401, message: `Authentication required: send ${this.options.headerProxy.headerName} or a session cookie.` };
    }
    const slash = raw.indexOf('\\');
    return slash < 0
      ? { userDirectory: HEADER_PROXY_DIRECTORY, userId: raw }
      : { userDirectory: raw.slice(0, slash), userId: raw.slice(slash + 1) };
  }

  private fromJwt(req: IncomingMessage): { userDirectory: string; userId: string } | { status: number; message: string } {
    const auth = headerValue(req.headers, 'authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(auth.trim());
    if (!match?.[1]) {
      return { status: 401, message: 'Authentication required: send Authorization: Bearer <JWT> or a session cookie.' };
    }
    try {
      const claims = verifyRs256Jwt(match[1], this.options.jwtPublicKey, this.options.clock.now());
      const userId = claims['userId'];
      const userDirectory = claims['userDirectory'];
      if (typeof userId !== 'string' || typeof userDirectory !== 'string' || !userId || !userDirectory) {
        return { status: 401, message: 'The JWT must carry userId and userDirectory claims.' };
      }
      return { userDirectory, userId };
    } catch (e) {
      return { status: 401, message: e instanceof JwtError ? e.message : 'The JWT is invalid.' };
    }
  }
}
