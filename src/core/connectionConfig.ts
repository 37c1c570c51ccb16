import { ConfigError } from './errors';

/**
 * Connections as admins write them (CLI config file, VS Code settings). No secrets live here:
 * a JWT, a key passphrase or a private key stored in VS Code comes from the CredentialStore.
 */

/** How a QRS connection authenticates; file paths are as written (the caller resolves them). */
export type QrsAuthConfig =
  | {
      readonly mode: 'certificate';
      readonly certFile: string;
      /** The CLI reads the key from here; VS Code keeps the key itself in SecretStorage instead. */
      readonly keyFile?: string;
      readonly caFile?: string;
      readonly userDirectory: string;
      readonly userId: string;
    }
  | { readonly mode: 'header'; readonly headerName: string; readonly headerValue: string; readonly caFile?: string }
  | { readonly mode: 'jwt'; readonly caFile?: string };

/** One Qlik Sense client-managed site. */
export interface QrsConnectionConfig {
  /** Stable key for secrets in VS Code (names can be edited); the CLI keys by name. */
  readonly id?: string;
  readonly name: string;
  readonly kind: 'qrs';
  /** `https://host:4242` or `https://host/<virtual-proxy-prefix>`. */
  readonly url: string;
  readonly auth: QrsAuthConfig;
  /** False only when the admin chose to skip certificate verification for this site. */
  readonly tlsVerify: boolean;
  readonly timeoutSeconds?: number;
}

/**
 * How a Qlik Cloud connection authenticates. The API key or the OAuth client secret comes from
 * the CredentialStore; `caFile` is for a TLS-inspecting proxy in front of the tenant.
 */
export type CloudAuthConfig =
  | { readonly mode: 'apiKey'; readonly caFile?: string }
  | { readonly mode: 'oauth'; readonly clientId: string; readonly scope?: string; readonly caFile?: string };

/** One Qlik Cloud tenant. */
export interface CloudConnectionConfig {
  readonly id?: string;
  readonly name: string;
  readonly kind: 'cloud';
  /** `https://<tenant>.<region>.qlikcloud.com`, no path. */
  readonly url: string;
  readonly auth: CloudAuthConfig;
  readonly tlsVerify: boolean;
  readonly timeoutSeconds?: number;
  /** As the admin states it; detected from the tenant's answers when absent. */
  readonly subscription?: 'user-based' | 'capacity';
  /**
   * Analyzer capacity minutes in the window above which a professional or analyzer license is the
   * cheaper choice for this tenant. Qlik publishes no price ratio, so only the admin can say.
   */
  readonly capacityBreakEvenMinutes?: number;
}

/** One X-Formation License Statistics server (read-only). */
export interface LicstatsConnectionConfig {
  readonly id?: string;
  readonly name: string;
  readonly kind: 'licstats';
  /** `https://licstat.example.com`, with any path prefix a proxy adds. */
  readonly url: string;
  /** The API token (`X-Auth-token`) comes from the CredentialStore. */
  readonly auth: { readonly mode: 'token'; readonly caFile?: string };
  readonly tlsVerify: boolean;
  readonly timeoutSeconds?: number;
  /** Report paths that differ from the v1 defaults, by report name (checked when the source opens). */
  readonly reports?: Readonly<Record<string, string>>;
}

/** Any configured connection. */
export type ConnectionConfig = QrsConnectionConfig | CloudConnectionConfig | LicstatsConnectionConfig;

/** What each kind of connection is, as admins call it. */
export const CONNECTION_KIND_LABELS: Readonly<Record<ConnectionConfig['kind'], string>> = {
  qrs: 'Qlik Sense client-managed',
  cloud: 'Qlik Cloud',
  licstats: 'License Statistics',
};

/** Ranking thresholds a config may override. */
export interface RulesConfig {
  readonly windowDays?: number;
  readonly inactiveDays?: number;
  readonly capacityBreakEvenMinutes?: number | null;
}

/** A parsed config file. */
export interface StewardConfig {
  readonly connections: readonly ConnectionConfig[];
  readonly rules: RulesConfig;
}


const NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/;

/** Validates a config object (already JSON-parsed); `origin` names it in messages. */
export function parseConfig(json: unknown, origin: string): StewardConfig {
  const root = obj(json, origin);
  const list = root['connections'];
  if (!Array.isArray(list)) {
    throw new ConfigError(`${origin}: "connections" must be an array of connections, e.g. [{ "name": "prod", "kind": "qrs", ... }].`);
  }
  const seen = new Set<string>();
  const connections = list.map((c, i) => {
    const conn = parseConnection(c, `${origin}: connections[${i}]`);
    const key = conn.name.toLowerCase();
    if (seen.has(key)) {
      throw new ConfigError(`${origin}: two connections are named "${conn.name}"; names must be unique (case-insensitive).`);
    }
    seen.add(key);
    return conn;
  });
  return { connections, rules: parseRules(root['rules'], `${origin}: rules`) };
}

/** Validates one connection object. */
export function parseConnection(json: unknown, where: string): ConnectionConfig {
  const c = obj(json, where);
  const name = str(c, 'name', where);
  if (!NAME.test(name)) {
    throw new ConfigError(`${where}: name "${name}" must be 1–64 letters, digits, spaces, dots, dashes or underscores.`);
  }
  const at = `${where} ("${name}")`;
  const kind = str(c, 'kind', at);
  switch (kind) {
    case 'qrs':
      return parseQrsConnection(c, name, at);
    case 'cloud':
      return parseCloudConnection(c, name, at);
    case 'licstats':
      return parseLicstatsConnection(c, name, at);
    default:
      throw new ConfigError(`${at}: kind "${kind}" is not supported; use "qrs" (Qlik Sense client-managed), "cloud" (Qlik Cloud) or "licstats" (License Statistics).`);
  }
}

function parseQrsConnection(c: Record<string, unknown>, name: string, at: string): QrsConnectionConfig {
  const url = str(c, 'url', at);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`${at}: url "${url}" is not a URL; write https://host:4242 or https://host/<virtual-proxy-prefix>.`);
  }
  if (parsed.protocol !== 'https:') {
    throw new ConfigError(`${at}: url must start with https:// (the Repository Service only speaks TLS).`);
  }
  if (parsed.username || parsed.password) {
    throw new ConfigError(`${at}: url must not carry credentials; secrets belong in the keychain or the environment.`);
  }
  if (/\/qrs\/?$/i.test(parsed.pathname)) {
    throw new ConfigError(`${at}: leave /qrs off the url; License Steward appends it.`);
  }
  return {
    ...common(c, at),
    name,
    kind: 'qrs',
    url: url.replace(/\/+$/, ''),
    auth: parseQrsAuth(c['auth'], `${at}: auth`),
  };
}

/** `id`, `tlsVerify` and `timeoutSeconds`, which every kind of connection has. */
function common(c: Record<string, unknown>, at: string): { id?: string; tlsVerify: boolean; timeoutSeconds?: number } {
  const tlsVerify = c['tlsVerify'] ?? true;
  if (typeof tlsVerify !== 'boolean') {
    throw new ConfigError(`${at}: tlsVerify must be true or false.`);
  }
  const timeout = c['timeoutSeconds'];
  if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout > 0 && timeout <= 600))) {
    throw new ConfigError(`${at}: timeoutSeconds must be a number of seconds between 1 and 600.`);
  }
  return { ...optional('id', optStr(c, 'id', at)), tlsVerify, ...(typeof timeout === 'number' ? { timeoutSeconds: timeout } : {}) };
}

/** An https URL without credentials, query or fragment; `example` shows the admin what is meant. */
function httpsUrl(c: Record<string, unknown>, at: string, example: string): URL {
  const url = str(c, 'url', at);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`${at}: url "${url}" is not a URL; write ${example}.`);
  }
  if (parsed.protocol !== 'https:') {
    throw new ConfigError(`${at}: url must start with https://, e.g. ${example}.`);
  }
  if (parsed.username || parsed.password) {
    throw new ConfigError(`${at}: url must not carry credentials; secrets belong in the keychain or the environment.`);
  }
  if (parsed.search || parsed.hash) {
    throw new ConfigError(`${at}: url must not have a query or a fragment; write ${example}.`);
  }
  return parsed;
}

function noSecrets(a: Record<string, unknown>, where: string, names: readonly string[]): void {
  for (const secretish of names) {
    if (secretish in a) {
      throw new ConfigError(
        `${where}: "${secretish}" must not be in a config file. Put the secret in LICENSE_STEWARD_SECRET_<CONNECTION NAME> or run "license-steward login --connection NAME".`,
      );
    }
  }
}

function parseCloudConnection(c: Record<string, unknown>, name: string, at: string): CloudConnectionConfig {
  const example = 'https://<tenant>.<region>.qlikcloud.com';
  const url = httpsUrl(c, at, example);
  if (url.pathname !== '/' && url.pathname !== '') {
    throw new ConfigError(`${at}: url must be the tenant alone (${example}); leave ${url.pathname} off: License Steward appends /api/v1/….`);
  }
  const where = `${at}: auth`;
  const a = obj(c['auth'], where);
  noSecrets(a, where, ['apiKey', 'key', 'token', 'clientSecret', 'secret', 'password']);
  const ca = optional('caFile', optStr(a, 'caFile', where));
  let auth: CloudAuthConfig;
  switch (a['mode']) {
    case 'apiKey':
      auth = { mode: 'apiKey', ...ca };
      break;
    case 'oauth':
      auth = { mode: 'oauth', clientId: str(a, 'clientId', where), ...optional('scope', optStr(a, 'scope', where)), ...ca };
      break;
    default:
      throw new ConfigError(`${where}: mode must be "apiKey" or "oauth" (an OAuth machine-to-machine client), not ${JSON.stringify(a['mode'])}.`);
  }
  const subscription = c['subscription'];
  if (subscription !== undefined && subscription !== 'user-based' && subscription !== 'capacity') {
    throw new ConfigError(`${at}: subscription must be "user-based" or "capacity", or left out to detect it from the tenant.`);
  }
  const breakEven = c['capacityBreakEvenMinutes'];
  if (breakEven !== undefined && (typeof breakEven !== 'number' || !(breakEven > 0))) {
    throw new ConfigError(`${at}: capacityBreakEvenMinutes must be a positive number of minutes.`);
  }
  return {
    ...common(c, at),
    name,
    kind: 'cloud',
    url: url.origin,
    auth,
    ...(subscription === undefined ? {} : { subscription }),
    ...(typeof breakEven === 'number' ? { capacityBreakEvenMinutes: breakEven } : {}),
  };
}

function parseLicstatsConnection(c: Record<string, unknown>, name: string, at: string): LicstatsConnectionConfig {
  const url = httpsUrl(c, at, 'https://licstat.example.com');
  const where = `${at}: auth`;
  const a = obj(c['auth'], where);
  noSecrets(a, where, ['token', 'apiToken', 'key', 'password']);
  if (a['mode'] !== 'token') {
    throw new ConfigError(`${where}: mode must be "token" (a License Statistics API token, kept in the keychain or LICENSE_STEWARD_SECRET_<NAME>), not ${JSON.stringify(a['mode'])}.`);
  }
  const reportsAt = `${at}: reports`;
  const raw = c['reports'];
  let reports: Record<string, string> | undefined;
  if (raw !== undefined) {
    const r = obj(raw, reportsAt);
    reports = {};
    for (const key of Object.keys(r)) {
      reports[key] = str(r, key, reportsAt);
    }
  }
  return {
    ...common(c, at),
    name,
    kind: 'licstats',
    url: url.href.replace(/\/+$/, ''),
    auth: { mode: 'token', ...optional('caFile', optStr(a, 'caFile', where)) },
    ...(reports ? { reports } : {}),
  };
}

function parseQrsAuth(json: unknown, where: string): QrsAuthConfig {
  const a = obj(json, where);
  const mode = a['mode'];
  const caFile = optStr(a, 'caFile', where);
  const ca = caFile === undefined ? {} : { caFile };
  noSecrets(a, where, ['password', 'passphrase', 'token', 'jwt', 'key', 'privateKey']);
  switch (mode) {
    case 'certificate':
      return {
        mode,
        certFile: str(a, 'certFile', where),
        ...optional('keyFile', optStr(a, 'keyFile', where)),
        ...ca,
        userDirectory: str(a, 'userDirectory', where),
        userId: str(a, 'userId', where),
      };
    case 'header':
      return { mode, headerName: authHeaderName(str(a, 'headerName', where), where), headerValue: authHeaderValue(str(a, 'headerValue', where), where), ...ca };
    case 'jwt':
      return { mode, ...ca };
    default:
      throw new ConfigError(`${where}: mode must be "certificate", "header" or "jwt", not ${JSON.stringify(mode)}.`);
  }
}

/**
 * Headers that cannot carry the header-auth user (lower-cased), and why. Sent with our own
 * value, one would be overwritten or overwrite ours (the session cookie, the xrfkey QRS compares
 * with the query); the credential ones would also make logs treat a token as a user name.
 */
const RESERVED_HEADERS: ReadonlyMap<string, string> = new Map([
  ['authorization', "it carries other credentials (a JWT connection's Bearer token)"],
  ['proxy-authorization', 'it carries other credentials (the login to a forward proxy)'],
  ['cookie', 'it carries other credentials (the proxy session cookie License Steward keeps)'],
  ...['host', 'content-type', 'content-length', 'accept', 'user-agent', 'x-qlik-xrfkey'].map((h) => [h, 'License Steward sets it on requests itself'] as const),
  ...['set-cookie', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'expect', 'te'].map((h) => [h, 'HTTP gives it a meaning of its own'] as const),
]);

/** An HTTP field name (RFC 9110 token): no spaces, colons or line breaks. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const HEADER_AUTH_HINT =
  'Header authentication reads the user from a header the virtual proxy names itself: QMC → Virtual proxies → Authentication → "Header authentication header name", e.g. X-Qlik-User-Header.';

function authHeaderName(name: string, where: string): string {
  if (!HEADER_NAME.test(name)) {
    throw new ConfigError(`${where}: headerName "${name}" is not an HTTP header name (letters, digits and dashes). ${HEADER_AUTH_HINT}`);
  }
  const reserved = RESERVED_HEADERS.get(name.toLowerCase());
  if (reserved) {
    throw new ConfigError(
      `${where}: headerName "${name}" cannot be used: ${reserved}. Authorization, Proxy-Authorization, Cookie, Host, Content-Type, Content-Length, Accept, User-Agent and X-Qlik-Xrfkey are all refused. ${HEADER_AUTH_HINT}`,
    );
  }
  return name;
}

function authHeaderValue(value: string, where: string): string {
  // The value is a credential: the message says what is wrong without quoting it.
  // oxlint-disable-next-line no-control-regex -- a line break here would end the header early
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw new ConfigError(`${where}: headerValue contains a control character (a line break, a tab); write the user as the proxy expects it, e.g. CORP\\jdoe.`);
  }
  return value;
}

function parseRules(json: unknown, where: string): RulesConfig {
  if (json === undefined) {
    return {};
  }
  const r = obj(json, where);
  const out: { windowDays?: number; inactiveDays?: number; capacityBreakEvenMinutes?: number | null } = {};
  for (const key of ['windowDays', 'inactiveDays'] as const) {
    const v = r[key];
    if (v !== undefined) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 3650) {
        throw new ConfigError(`${where}: ${key} must be a whole number of days between 1 and 3650.`);
      }
      out[key] = v;
    }
  }
  const cap = r['capacityBreakEvenMinutes'];
  if (cap !== undefined) {
    if (cap !== null && (typeof cap !== 'number' || !(cap > 0))) {
      throw new ConfigError(`${where}: capacityBreakEvenMinutes must be a positive number of minutes, or null.`);
    }
    out.capacityBreakEvenMinutes = cap;
  }
  return out;
}

function obj(v: unknown, where: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new ConfigError(`${where} must be a JSON object.`);
  }
  return v as Record<string, unknown>;
}

function str(o: Record<string, unknown>, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v.trim() === '') {
    throw new ConfigError(`${where}: "${key}" is required and must be a non-empty string.`);
  }
  return v.trim();
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function optStr(o: Record<string, unknown>, key: string, where: string): string | undefined {
  return o[key] === undefined ? undefined : str(o, key, where);
}

/** Finds a connection by name (case-insensitive), or says which ones exist. */
export function findConnection(config: StewardConfig, name: string, origin: string): ConnectionConfig {
  const found = config.connections.find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (!found) {
    const names = config.connections.map((c) => `"${c.name}"`).join(', ') || 'none';
    throw new ConfigError(`${origin} has no connection named "${name}" (it has: ${names}).`);
  }
  return found;
}
