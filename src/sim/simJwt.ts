import { createSign, createVerify, type KeyObject } from 'node:crypto';

/** Claims a verified token carried. */
export type JwtClaims = Readonly<Record<string, unknown>>;

/** Why a token was refused; the simulators answer 401 with this text. */
export class JwtError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JwtError';
  }
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** Signs `claims` as a compact RS256 JWT. `iat`/`exp` are the caller's business. */
export function signRs256Jwt(claims: Readonly<Record<string, unknown>>, privateKey: KeyObject | string): string {
  const head = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const body = base64url(JSON.stringify(claims));
  const signer = createSign('RSA-SHA256');
  signer.update(`${head}.${body}`);
  return `${head}.${body}.${signer.sign(privateKey).toString('base64url')}`;
}

function parsePart(part: string, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new JwtError(`The JWT ${what} is not base64url JSON.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new JwtError(`The JWT ${what} is not a JSON object.`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * Verifies an RS256 JWT and its `exp`/`nbf` against `nowMs` (the simulator's clock, not the
 * wall clock, so tests can expire tokens by advancing time).
 */
export function verifyRs256Jwt(token: string, publicKey: KeyObject | string, nowMs: number): JwtClaims {
  const parts = token.split('.');
  const [head, body, signature] = parts;
  if (parts.length !== 3 || head === undefined || body === undefined || signature === undefined) {
    throw new JwtError('The JWT must have three dot-separated parts.');
  }
  const header = parsePart(head, 'header');
  if (header['alg'] !== 'RS256') {
    // Anything else (notably "none" or HS256 with the public key as secret) is an attack, not a token.
    throw new JwtError(`The JWT algorithm must be RS256, not ${String(header['alg'])}.`);
  }
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${head}.${body}`);
  if (!verifier.verify(publicKey, Buffer.from(signature, 'base64url'))) {
    throw new JwtError('The JWT signature does not verify.');
  }
  const claims = parsePart(body, 'payload');
  const nowSeconds = nowMs / 1000;
  const exp = claims['exp'];
  if (exp !== undefined && (typeof exp !== 'number' || nowSeconds >= exp)) {
    throw new JwtError('The JWT has expired.');
  }
  const nbf = claims['nbf'];
  if (nbf !== undefined && (typeof nbf !== 'number' || nowSeconds < nbf)) {
    throw new JwtError('The JWT is not valid yet.');
  }
  return claims;
}
