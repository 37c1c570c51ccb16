import { createPrivateKey, generateKeyPair, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { promisify } from 'node:util';
import forge from 'node-forge';

/** What a simulator's TLS setup should look like. */
export interface SimCertificateOptions {
  /** DNS names and IP literals for the server certificate's subjectAltName. */
  readonly serverNames: readonly string[];
  /**
   * `clientAuth` issues a server certificate without the serverAuth purpose, reproducing the
   * `INVALID_PURPOSE` / "unsupported certificate purpose" failure seen with some Qlik exports.
   */
  readonly serverCertPurpose?: 'serverAuth' | 'clientAuth';
  /** Common name of the client certificate; Qlik's exported client.pem says QlikClient. */
  readonly clientCommonName?: string;
  /** Prefix of the CA's common name (Qlik names it `<host>-CA`). */
  readonly caName?: string;
}

/** PEM material for one simulated site, shaped like the files the QMC exports. */
export interface SimCertificates {
  /** root.pem: the CA that signed both the server and the client certificate. */
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  /** client.pem */
  readonly clientCert: string;
  /** client_key.pem, unencrypted. */
  readonly clientKey: string;
  /** The same client key as an encrypted PKCS#8 PEM, as an export with a password gives. */
  encryptedClientKey(passphrase: string): string;
}

const generateRsa = promisify(generateKeyPair);

/**
 * Key pairs come from node:crypto because forge's pure-JS RSA generation takes seconds;
 * forge only builds and signs the X.509 structures.
 */
interface RsaKeys {
  readonly privateKey: forge.pki.rsa.PrivateKey;
  readonly publicKey: forge.pki.rsa.PublicKey;
  readonly pem: string;
}

async function rsaKeyPair(): Promise<RsaKeys> {
  const { privateKey } = await generateRsa('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const key = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  return { privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e), pem: privateKey };
}

let sharedLeafKeys: Promise<[RsaKeys, RsaKeys]> | undefined;

/**
 * Server and client key pairs are made once per process and reused by every certificate set:
 * on a 2-core CI machine each 2048-bit key costs 100-300 ms, and a test run starts dozens of
 * simulators. Reuse is safe because trust hangs on the CA, whose key is always fresh: a
 * leaf signed by another run's CA fails verification whatever key it certifies.
 */
function leafKeys(): Promise<[RsaKeys, RsaKeys]> {
  sharedLeafKeys ??= Promise.all([rsaKeyPair(), rsaKeyPair()]);
  return sharedLeafKeys;
}

function serialNumber(): string {
  // A positive serial: forge writes it as a signed INTEGER, so keep the top bit clear.
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

function baseCertificate(publicKey: forge.pki.rsa.PublicKey, commonName: string, validYears: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serialNumber();
  const now = Date.now();
  // Back-dated an hour so a client whose clock is a little behind still accepts it.
  cert.validity.notBefore = new Date(now - 3_600_000);
  cert.validity.notAfter = new Date(now + validYears * 365 * 86_400_000);
  cert.setSubject([{ name: 'commonName', value: commonName }]);
  return cert;
}

/** Issues a fresh CA, server certificate and client certificate (0.2-0.5 s; less after the first). */
export async function createSimCertificates(options: SimCertificateOptions): Promise<SimCertificates> {
  const [caKeys, [serverKeys, clientKeys]] = await Promise.all([rsaKeyPair(), leafKeys()]);
  const firstName = options.serverNames[0] ?? 'localhost';
  const caName = `${options.caName ?? firstName}-CA`;

  const ca = baseCertificate(caKeys.publicKey, caName, 10);
  ca.setIssuer(ca.subject.attributes);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const server = baseCertificate(serverKeys.publicKey, firstName, 2);
  server.setIssuer(ca.subject.attributes);
  const purpose = options.serverCertPurpose ?? 'serverAuth';
  server.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    purpose === 'serverAuth' ? { name: 'extKeyUsage', serverAuth: true } : { name: 'extKeyUsage', clientAuth: true },
    {
      name: 'subjectAltName',
      altNames: options.serverNames.map((n) => (isIP(n) ? { type: 7, ip: n } : { type: 2, value: n })),
    },
  ]);
  server.sign(caKeys.privateKey, forge.md.sha256.create());

  const client = baseCertificate(clientKeys.publicKey, options.clientCommonName ?? 'QlikClient', 2);
  client.setIssuer(ca.subject.attributes);
  client.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', clientAuth: true },
  ]);
  client.sign(caKeys.privateKey, forge.md.sha256.create());

  const clientKeyPem = clientKeys.pem;
  return {
    ca: forge.pki.certificateToPem(ca),
    serverCert: forge.pki.certificateToPem(server),
    serverKey: serverKeys.pem,
    clientCert: forge.pki.certificateToPem(client),
    clientKey: clientKeyPem,
    encryptedClientKey: (passphrase) =>
      createPrivateKey(clientKeyPem)
        .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase })
        .toString(),
  };
}
