import { cpus } from 'node:os';
import type { AppConfig } from '../../config/app.config.js';
import { schoolNetworkAddresses } from '../../common/network.js';
import type { PipeListen } from './pipe-link.js';

export interface SfuOptions {
  /** mediasoup workers, one per core by default. */
  workers: number;
  /** Worker i listens for WebRTC on port `webRtcPort + i`, UDP and TCP (firewall-friendly: one port each). */
  webRtcPort: number;
  /** Unset: discover the host's addresses (see planMediaAddresses). */
  listenIp?: string;
  /** The address clients are told to reach, for servers behind NAT. */
  announcedAddress?: string;
  /** Consumers one router serves before the room opens another router on another worker. */
  maxConsumersPerRouter: number;
  logLevel: 'debug' | 'warn' | 'error' | 'none';
}

export const SFU_OPTIONS = Symbol('SFU_OPTIONS');

export function sfuOptions(config: AppConfig): SfuOptions {
  return {
    workers: config.MEDIASOUP_WORKERS || cpus().length,
    webRtcPort: config.MEDIASOUP_WEBRTC_PORT,
    listenIp: config.MEDIASOUP_LISTEN_IP,
    announcedAddress: config.MEDIASOUP_ANNOUNCED_ADDRESS,
    maxConsumersPerRouter: config.MEDIASOUP_MAX_CONSUMERS_PER_ROUTER,
    logLevel: config.MEDIASOUP_LOG_LEVEL,
  };
}

/** Where this node's pipes to other nodes listen, and the address the others are given. */
export function pipeListen(config: AppConfig, found: string[] = schoolNetworkAddresses()): PipeListen {
  const [min, max] = config.MEDIASOUP_PIPE_PORTS.split('-').map(Number);
  const listenIp = config.MEDIASOUP_LISTEN_IP && config.MEDIASOUP_LISTEN_IP !== '0.0.0.0' ? config.MEDIASOUP_LISTEN_IP : undefined;
  const ip = config.MEDIASOUP_PIPE_IP ?? listenIp ?? found[0] ?? '127.0.0.1';
  return { ip, portRange: { min, max } };
}
