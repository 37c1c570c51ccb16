import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { SimClock } from '../simClock';
import type { CloudSimState, CloudUser } from './cloudSimState';

/** Who a request acts as. */
export interface CloudActor {
  readonly user: CloudUser;
  readonly via: 'apiKey' | 'oauth';
  /** OAuth scopes; an API key carries its user's full rights instead (reference A.4). */
  readonly scopes: readonly string[];
}

/** The result of checking a request's bearer token. */
export type CloudAuthOutcome = { readonly ok: true; readonly actor: CloudActor } | { readonly ok: false; readonly detail: string };

/** An answer of the token endpoint: an OAuth 2.0 token or error body (RFC 6749 §5). */
export interface CloudTokenAnswer {
  readonly status: number;
  readonly body: Readonly<Record<string, string | number>>;
}

/** What the token endpoint was sent (JSON or form body), and HTTP Basic client credentials if any. */
export interface CloudTokenRequest {
  readonly params: Readonly<Record<string, unknown>>;
  readonly basic?: { readonly clientId: string; readonly clientSecret: string };
}

/** Scopes an M2M client may ask for; `admin_classic` gives full admin access (reference A.4). */
export const CLOUD_OAUTH_SCOPES: readonly string[] = ['user_default', 'admin_classic'];

const API_KEY_ISSUER = 'qlik.api.internal/api-keys';
const OAUTH_ISSUER = 'qlik.api.internal/oauth';

function b64(json: unknown): string {
  return Buffer.from(JSON.stringify(json), 'utf8').toString('base64url');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * API keys and OAuth access tokens. Both are JWT-shaped, as Qlik's are, and signed with the
 * simulator's secret (HMAC, where Qlik signs with its own keys), so they are checked without
 * a store: a key for a user acts as that user while the user is active; a token expires in
 * simulator time.
 */
export class CloudAuth {
  private readonly key: Buffer;
  private issued = 0;

  constructor(
    private readonly options: {
      readonly secret: string;
      readonly state: CloudSimState;
      readonly clock: SimClock;
      readonly tokenLifetimeSeconds: number;
      readonly clientSecret: string;
    },
  ) {
    this.key = createHash('sha256').update(`tokens\0${options.secret}`).digest();
  }

  private sign(payload: Record<string, unknown>): string {
    const head = `${b64({ alg: 'HS256', typ: 'JWT', kid: 'license-steward-sim' })}.${b64(payload)}`;
    return `${head}.${createHmac('sha256', this.key).update(head).digest('base64url')}`;
  }

  /** An API key acting as the user (the same key every time for the same user and seed). */
  apiKeyFor(userId: string): string {
    const user = this.options.state.user(userId);
    if (!user) {
      throw new RangeError(`No user with id ${userId} in the simulated tenant.`);
    }
    const jti = createHmac('sha256', this.key).update(`apikey\0${user.id}`).digest('hex').slice(0, 24);
    return this.sign({ iss: API_KEY_ISSUER, aud: 'qlik.api', sub: user.id, subType: 'user', tenantId: this.options.state.tenantId, jti });
  }

  /** Checks `Authorization: Bearer <API key | access token>`. */
  authenticate(header: string | undefined): CloudAuthOutcome {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    if (!m?.[1]) {
      return { ok: false, detail: header ? 'The Authorization header is not a Bearer token.' : 'No Authorization header: send Authorization: Bearer <API key or access token>.' };
    }
    const parts = m[1].split('.');
    const [head, body, sig] = parts;
    if (parts.length !== 3 || !head || !body || !sig) {
      return { ok: false, detail: 'The bearer token is not valid.' };
    }
    const expected = createHmac('sha256', this.key).update(`${head}.${body}`).digest();
    const given = Buffer.from(sig, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, detail: 'The bearer token is not valid.' };
    }
    const payload: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    if (!isRecord(payload) || typeof payload['sub'] !== 'string' || payload['tenantId'] !== this.options.state.tenantId) {
      return { ok: false, detail: 'The bearer token is not valid for this tenant.' };
    }
    if (payload['iss'] === OAUTH_ISSUER) {
      const exp = typeof payload['exp'] === 'number' ? payload['exp'] : 0;
      if (this.options.clock.now() >= exp * 1000) {
        return { ok: false, detail: 'The access token has expired.' };
      }
    }
    const user = this.options.state.user(payload['sub']);
    if (!user || user.status !== 'active') {
      return { ok: false, detail: 'The user of this token is not an active user of the tenant.' };
    }
    const scopes = typeof payload['scope'] === 'string' ? payload['scope'].split(' ').filter((s) => s !== '') : [];
    return { ok: true, actor: { user, via: payload['iss'] === OAUTH_ISSUER ? 'oauth' : 'apiKey', scopes } };
  }

  /** Whether the actor may administer the tenant: a TenantAdmin, and for OAuth with the admin_classic scope. */
  isAdmin(actor: CloudActor): boolean {
    return this.options.state.isTenantAdmin(actor.user) && (actor.via === 'apiKey' || actor.scopes.includes('admin_classic'));
  }

  /**
   * POST /oauth/token: the client-credentials grant of an M2M client (reference A.4). Refusals
   * carry RFC 6749 §5.2 bodies (`invalid_client` with 401, …); Qlik publishes no error body of its
   * own for this endpoint (UNVERIFIED). Without `scope` the client gets every scope it may have.
   */
  issueToken(request: CloudTokenRequest): CloudTokenAnswer {
    const p = request.params;
    const text = (name: string): string | undefined => (typeof p[name] === 'string' ? p[name] : undefined);
    const grant = text('grant_type');
    if (grant === undefined) {
      return oauthError(400, 'invalid_request', 'grant_type is required.');
    }
    if (grant !== 'client_credentials') {
      return oauthError(400, 'unsupported_grant_type', `The simulator issues client_credentials tokens only, not ${grant}.`);
    }
    const clientId = text('client_id') ?? request.basic?.clientId;
    const clientSecret = text('client_secret') ?? request.basic?.clientSecret;
    const client = this.options.state.oauthClient;
    if (clientId === undefined || clientSecret === undefined) {
      return oauthError(401, 'invalid_client', 'client_id and client_secret are required.');
    }
    const secretOk =
      clientSecret.length === this.options.clientSecret.length && timingSafeEqual(Buffer.from(clientSecret), Buffer.from(this.options.clientSecret));
    if (clientId !== client.clientId || !secretOk) {
      return oauthError(401, 'invalid_client', 'Client authentication failed.');
    }
    const user = this.options.state.user(client.userId);
    if (!user || user.status !== 'active') {
      return oauthError(401, 'invalid_client', 'The client is disabled.');
    }
    const asked = (text('scope') ?? CLOUD_OAUTH_SCOPES.join(' ')).split(' ').filter((s) => s !== '');
    const unknown = asked.filter((s) => !CLOUD_OAUTH_SCOPES.includes(s));
    if (unknown.length > 0) {
      return oauthError(400, 'invalid_scope', `Unknown scope ${unknown.join(', ')}.`);
    }
    const iat = Math.floor(this.options.clock.now() / 1000);
    const exp = iat + this.options.tokenLifetimeSeconds;
    const scope = asked.join(' ');
    const token = this.sign({
      iss: OAUTH_ISSUER,
      aud: 'qlik.api',
      sub: user.id,
      subType: 'user',
      tenantId: this.options.state.tenantId,
      client_id: clientId,
      scope,
      iat,
      exp,
      jti: `${++this.issued}`,
    });
    return {
      status: 200,
      body: { access_token: token, token_type: 'bearer', expires_in: this.options.tokenLifetimeSeconds, expires_at: new Date(exp * 1000).toISOString(), scope },
    };
  }
}

function oauthError(status: number, error: string, description: string): CloudTokenAnswer {
  return { status, body: { error, error_description: description } };
}
