import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * #11.12, by reading (Docker does not run on the machines the tests run on): the compose file keeps its secrets
 * in the environment, and coturn relays to no internal network.
 */
describe('docker-compose.yml', () => {
  const compose = readFileSync(join(import.meta.dirname, '..', '..', 'docker-compose.yml'), 'utf8');
  const service = (name: string) => {
    const start = compose.indexOf(`\n  ${name}:\n`);
    const next = compose.slice(start + 1).search(/\n {2}[a-z-]+:\n|\nvolumes:|\nconfigs:/);
    return compose.slice(start, next === -1 ? undefined : start + 1 + next);
  };

  it('takes the PostgreSQL and Redis passwords from the environment, and Redis requires one', () => {
    expect(service('postgres')).toContain('POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?');
    expect(service('redis')).toMatch(/"--requirepass", "\$\{REDIS_PASSWORD:\?/);
    expect(compose).toMatch(/DATABASE_URL: postgres:\/\/tongke:\$\{POSTGRES_PASSWORD:\?[^}]*\}@postgres/);
    expect(compose).toMatch(/REDIS_URL: redis:\/\/:\$\{REDIS_PASSWORD:\?[^}]*\}@redis/);
    expect(compose).not.toMatch(/PASSWORD: tongke\b|tongke:tongke@/);
  });

  it('lets coturn relay to no loopback, private, link-local or shared address, only to the media server', () => {
    const coturn = service('coturn');
    for (const range of ['10.0.0.0-10.255.255.255', '127.0.0.0-127.255.255.255', '169.254.0.0-169.254.255.255', '172.16.0.0-172.31.255.255', '192.168.0.0-192.168.255.255', '100.64.0.0-100.127.255.255', '::1']) {
      expect(coturn).toContain(`--denied-peer-ip=${range}`);
    }
    expect(coturn).toContain('--allowed-peer-ip=${PUBLIC_IP}');
    expect(coturn).toContain('--no-multicast-peers');
  });

  it('serves TURN over TLS on 443 beside the web: the edge owns 443, Caddy is reached only through it, and browsers are told of turns:443', () => {
    expect(service('edge')).toContain('network_mode: host');
    expect(service('caddy')).toContain('"127.0.0.1:8443:443"');
    expect(service('caddy')).not.toMatch(/"443:443"/);
    expect(compose).toMatch(/TURN_URLS: [^\n]*turns:\$\{TURN_DOMAIN\}:443\?transport=tcp/);
    // What the edge does with a connection is run, not read: test/browser/turn-tls.e2e-spec.ts.
    expect(compose).toContain('ssl_preread on;');
  });

  it('runs two nodes of the app, each with its own name and media ports, the live socket of a class routed to one of them', () => {
    for (const [name, port] of [['app1', '44400'], ['app2', '44402']]) {
      expect(service(name)).toContain('<<: *app-env');
      expect(service(name)).toContain(`NODE_ID: ${name}`);
      expect(service(name)).toContain(`MEDIASOUP_WEBRTC_PORT: "${port}"`);
    }
    expect(compose).toMatch(/reverse_proxy @live app1:3000 app2:3000 \{\n\s+lb_policy query session/);
    expect(compose).toMatch(/REDIS_URL: redis:/);
  });
});
