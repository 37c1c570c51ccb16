/** Facts about the PEM files the QMC exports (client.pem, client_key.pem, root.pem). */

/** True when a private key needs a passphrase to open (PKCS#8 or legacy OpenSSL form). */
export function isEncryptedKey(pem: string): boolean {
  return pem.includes('BEGIN ENCRYPTED PRIVATE KEY') || /Proc-Type:\s*4,ENCRYPTED/.test(pem);
}
