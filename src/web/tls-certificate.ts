import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server as HttpsServer } from 'node:https';
import { hostname, networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { generate } from 'selfsigned';
import type { AppConfig } from '../config/app.config.js';
import type { AppLogger } from '../common/logger.js';

export interface TlsMaterial {
  cert: string;
  key: string;
  /** Where it came from: the school's own files, or the certificate this server generated for itself. */
  source: 'files' | 'generated';
}

/** The HTTPS server beside the HTTP one (not listening yet), when HTTPS_PORT asks for one, and its certificate. */
export async function httpsServerFor(config: AppConfig, logger: AppLogger): Promise<{ server: HttpsServer; tls: TlsMaterial } | undefined> {
  if (!config.HTTPS_PORT) return undefined;
  const tls = await loadTlsMaterial(config, logger);
  return { server: createServer({ cert: tls.cert, key: tls.key }), tls };
}

/** Host names and every IPv4/IPv6 address of this machine: what classrooms type or are given to reach it. */
export function hostNames(interfaces = networkInterfaces(), host = hostname()): { dns: string[]; ips: string[] } {
  const dns = [...new Set(['localhost', host].filter((n) => n && /^[A-Za-z0-9.-]+$/.test(n)))];
  const ips = new Set<string>(['127.0.0.1', '::1']);
  for (const list of Object.values(interfaces)) {
    for (const info of list ?? []) if (!info.address.startsWith('fe80:')) ips.add(info.address);
  }
  return { dns, ips: [...ips] };
}

/**
 * The certificate HTTPS is served with. `TLS_CERT_FILE` and `TLS_KEY_FILE` when a school has its own; otherwise
 * a self-signed one generated on the first start for the host's names and addresses, kept in
 * `DATA_DIR/tls/` readable only by the server's user, and reused afterwards (a browser exception the school
 * accepted, or a certificate it installed, stays valid across restarts).
 */
export async function loadTlsMaterial(config: AppConfig, logger: AppLogger): Promise<TlsMaterial> {
  if (config.TLS_CERT_FILE && config.TLS_KEY_FILE) {
    return { cert: readFileSync(config.TLS_CERT_FILE, 'utf8'), key: readFileSync(config.TLS_KEY_FILE, 'utf8'), source: 'files' };
  }
  const dir = resolve(config.DATA_DIR, 'tls');
  const certFile = join(dir, 'self-signed.crt');
  const keyFile = join(dir, 'self-signed.key');
  const { dns, ips } = hostNames();
  if (existsSync(certFile) && existsSync(keyFile)) {
    const cert = readFileSync(certFile, 'utf8');
    const covered = new X509Certificate(cert).subjectAltName ?? '';
    const missing = ips.filter((ip) => !covered.includes(`IP Address:${ip}`));
    if (missing.length) {
      logger.warn(
        { context: 'Https', missing },
        `the generated certificate does not name ${missing.join(', ')}: delete ${dir} and restart to make a new one ` +
          '(browsers will then ask to accept it again)',
      );
    }
    return { cert, key: readFileSync(keyFile, 'utf8'), source: 'generated' };
  }
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate);
  notAfterDate.setFullYear(notAfterDate.getFullYear() + 5);
  const pems = await generate([{ name: 'commonName', value: dns[1] ?? dns[0] }, { name: 'organizationName', value: 'Tongke (self-signed)' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [...dns.map((value) => ({ type: 2 as const, value })), ...ips.map((ip) => ({ type: 7 as const, ip }))] },
    ],
  });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  writeFileSync(keyFile, pems.private, { mode: 0o600 });
  writeFileSync(certFile, pems.cert, { mode: 0o600 });
  logger.info({ context: 'Https', names: [...dns, ...ips], fingerprint: pems.fingerprint }, `generated a self-signed certificate in ${dir}`);
  return { cert: pems.cert, key: pems.private, source: 'generated' };
}
