import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { schoolNetworkAddresses } from '../../common/network.js';

/** One address a worker's WebRtcServer listens on (UDP and TCP), and what browsers are told to reach. */
export interface MediaAddress {
  ip: string;
  announcedAddress?: string;
}

export interface MediaAddressPlan {
  addresses: MediaAddress[];
  /** How the list was made, for the boot log. */
  source: 'announced' | 'listen-ip' | 'discovered';
  /** Only loopback was found: browsers on other machines can't reach the media. */
  loopbackOnly: boolean;
}

const ANY = new Set(['0.0.0.0', '::']);

/**
 * Where media listens and which ICE candidates browsers get.
 * - `MEDIASOUP_ANNOUNCED_ADDRESS` (NAT, a public address) overrides everything: listen on the listen IP
 *   (all interfaces by default) and announce that one address.
 * - A specific `MEDIASOUP_LISTEN_IP` is used as it is.
 * - Otherwise every non-internal IPv4 address of the host, then 127.0.0.1 for a browser on the server itself.
 *   Each is bound on its own, so each becomes a candidate that is true for the classrooms on its network;
 *   listening on 0.0.0.0 with nothing announced would hand browsers 0.0.0.0, which never connects.
 * The order is the candidates' priority: school network addresses before loopback.
 */
export function planMediaAddresses(
  options: { listenIp?: string; announcedAddress?: string },
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): MediaAddressPlan {
  const listenIp = options.listenIp && options.listenIp.length > 0 ? options.listenIp : '0.0.0.0';
  if (options.announcedAddress) {
    return { addresses: [{ ip: listenIp, announcedAddress: options.announcedAddress }], source: 'announced', loopbackOnly: false };
  }
  if (!ANY.has(listenIp)) {
    return { addresses: [{ ip: listenIp }], source: 'listen-ip', loopbackOnly: isLoopback(listenIp) };
  }
  const found = schoolNetworkAddresses(interfaces);
  return { addresses: [...found, '127.0.0.1'].map((ip) => ({ ip })), source: 'discovered', loopbackOnly: found.length === 0 };
}

function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1';
}

/** The boot log's line: the addresses classrooms will reach media on. */
export function describeMediaAddresses(plan: MediaAddressPlan, port: number): string {
  const shown = plan.addresses.map((a) => (a.announcedAddress ? `${a.announcedAddress} (announced, listening on ${a.ip})` : a.ip));
  return `live media for classrooms at ${shown.join(', ')} on UDP/TCP port ${port} and up`;
}
