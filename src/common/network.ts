import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

/**
 * This machine's addresses on the school network: every non-internal IPv4 address but link-local ones
 * (169.254/16, which no classroom could route to).
 */
export function schoolNetworkAddresses(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces()): string[] {
  const found = new Set<string>();
  for (const list of Object.values(interfaces)) {
    for (const info of list ?? []) {
      if (info.family === 'IPv4' && !info.internal && !info.address.startsWith('169.254.')) found.add(info.address);
    }
  }
  return [...found];
}
