import type { types } from 'mediasoup-client';
import type { LinkQuality } from './LiveStore';

interface InboundRtpStats {
  type: string;
  kind?: string;
  packetsLost?: number;
  packetsReceived?: number;
}

/** How well one consumed video arrives, from its packet loss between two samples. */
export class LossMeter {
  private last: { lost: number; received: number } | null = null;

  /** Nothing to measure for now: the next sample starts afresh. */
  reset(): void {
    this.last = null;
  }

  /** The quality since the last sample; null when there is nothing to compare with yet, or no stats to read. */
  async sample(consumer: types.Consumer, recv: types.Transport): Promise<LinkQuality | null> {
    let lost = 0;
    let received = 0;
    try {
      (await consumer.getStats()).forEach((report: InboundRtpStats) => {
        if (report.type !== 'inbound-rtp') return;
        lost += report.packetsLost ?? 0;
        received += report.packetsReceived ?? 0;
      });
    } catch {
      return null;
    }
    const last = this.last;
    this.last = { lost, received };
    if (recv.connectionState !== 'connected') return 'poor';
    if (!last) return null;
    const newLost = Math.max(0, lost - last.lost);
    const newReceived = Math.max(0, received - last.received);
    const ratio = newLost + newReceived > 0 ? newLost / (newLost + newReceived) : 0;
    // Nothing at all arrived: a paused camera, or a dead link that the transport state will report.
    if (newReceived === 0) return 'unknown';
    return ratio < 0.02 ? 'good' : ratio < 0.08 ? 'fair' : 'poor';
  }
}
