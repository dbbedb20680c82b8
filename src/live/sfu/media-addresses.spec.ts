import type { NetworkInterfaceInfo } from 'node:os';
import { describeMediaAddresses, planMediaAddresses } from './media-addresses.js';

const iface = (address: string, internal = false, family: 'IPv4' | 'IPv6' = 'IPv4') =>
  ({ address, internal, family, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: null }) as NetworkInterfaceInfo;

const SCHOOL_SERVER = {
  lo: [iface('127.0.0.1', true), iface('::1', true, 'IPv6')],
  eth0: [iface('192.168.10.5'), iface('fe80::1', false, 'IPv6')],
  wlan0: [iface('10.0.3.7')],
  usb0: [iface('169.254.12.1')],
};

describe(planMediaAddresses.name, () => {
  it('with nothing set, announces every non-internal IPv4 address of the host, then loopback (never 0.0.0.0)', () => {
    const sut = planMediaAddresses({}, SCHOOL_SERVER);
    expect(sut).toEqual({
      addresses: [{ ip: '192.168.10.5' }, { ip: '10.0.3.7' }, { ip: '127.0.0.1' }],
      source: 'discovered',
      loopbackOnly: false,
    });
  });

  it('treats MEDIASOUP_LISTEN_IP=0.0.0.0 like unset: discovery, not a 0.0.0.0 candidate', () => {
    expect(planMediaAddresses({ listenIp: '0.0.0.0' }, SCHOOL_SERVER).addresses.map((a) => a.ip)).toEqual(['192.168.10.5', '10.0.3.7', '127.0.0.1']);
  });

  it('says when only loopback was found', () => {
    const sut = planMediaAddresses({}, { lo: [iface('127.0.0.1', true)] });
    expect(sut.addresses).toEqual([{ ip: '127.0.0.1' }]);
    expect(sut.loopbackOnly).toBe(true);
  });

  it('MEDIASOUP_ANNOUNCED_ADDRESS overrides discovery (NAT, a public address)', () => {
    expect(planMediaAddresses({ announcedAddress: '203.0.113.9' }, SCHOOL_SERVER)).toEqual({
      addresses: [{ ip: '0.0.0.0', announcedAddress: '203.0.113.9' }],
      source: 'announced',
      loopbackOnly: false,
    });
  });

  it('a specific MEDIASOUP_LISTEN_IP is used as it is', () => {
    expect(planMediaAddresses({ listenIp: '127.0.0.1' }, SCHOOL_SERVER)).toEqual({ addresses: [{ ip: '127.0.0.1' }], source: 'listen-ip', loopbackOnly: true });
  });

  it('describes the plan for the boot log', () => {
    expect(describeMediaAddresses(planMediaAddresses({}, SCHOOL_SERVER), 44400)).toBe(
      'live media for classrooms at 192.168.10.5, 10.0.3.7, 127.0.0.1 on UDP/TCP port 44400 and up',
    );
  });
});
