import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';

/**
 * SRTP through the worker against an implementation that is not ours: ffmpeg (libavformat's own SRTP) encrypts
 * what it sends into a PlainTransport and decrypts what the worker sends back. The offline worker build runs
 * mediasoup's libsrtp 3 calls on Debian's libsrtp 2 through a compatibility header
 * (scripts/mediasoup/make-shims.sh); Chromium covers the AES-GCM suites in the browser tests, and this covers the
 * AES-CM ones, which ffmpeg speaks and Chromium no longer offers first.
 */
describe('SRTP with an independent peer (ffmpeg)', () => {
  const SSRC = 33333333;
  let worker: types.Worker;
  let router: types.Router;
  let dir: string;

  beforeAll(async () => {
    worker = await mediasoup.createWorker({ logLevel: 'warn' });
    router = await worker.createRouter({ mediaCodecs: [{ kind: 'video', mimeType: 'video/VP8', clockRate: 90000 }] });
    dir = await mkdtemp(join(tmpdir(), 'tongke-srtp-'));
  });

  afterAll(async () => {
    worker?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function freeUdpPort(): Promise<number> {
    const s = createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
    const { port } = s.address();
    await new Promise<void>((r) => s.close(() => r()));
    return port;
  }

  function run(args: string[], timeoutMs: number): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve) => {
      const p = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
      p.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stderr });
      });
    });
  }

  it.each(['AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32'] as const)('%s: decrypts what ffmpeg sends and ffmpeg decodes what it forwards', async (suite) => {
    // ffmpeg → worker: ffmpeg encrypts with a key of ours, the worker decrypts with it.
    const sendKey = randomBytes(30).toString('base64');
    const inbound = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: true, enableSrtp: true, srtpCryptoSuite: suite });
    await inbound.connect({ srtpParameters: { cryptoSuite: suite, keyBase64: sendKey } });
    const producer = await inbound.produce({
      kind: 'video',
      rtpParameters: { codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }], encodings: [{ ssrc: SSRC }] },
    });

    // worker → ffmpeg: the worker encrypts with its own key, which ffmpeg reads from the SDP.
    const receivePort = await freeUdpPort();
    const outbound = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: false, enableSrtp: true, srtpCryptoSuite: suite });
    await outbound.connect({ ip: '127.0.0.1', port: receivePort, srtpParameters: { cryptoSuite: suite, keyBase64: randomBytes(30).toString('base64') } });
    const consumer = await outbound.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities, paused: false });
    const pt = consumer.rtpParameters.codecs[0].payloadType;
    const sdp = join(dir, `${suite}.sdp`);
    await writeFile(
      sdp,
      [
        'v=0',
        'o=- 0 0 IN IP4 127.0.0.1',
        's=tongke srtp test',
        'c=IN IP4 127.0.0.1',
        't=0 0',
        `m=video ${receivePort} RTP/SAVP ${pt}`,
        `a=rtpmap:${pt} VP8/90000`,
        `a=crypto:1 ${suite} inline:${outbound.srtpParameters!.keyBase64}`,
        '',
      ].join('\n'),
    );

    const receiver = run(['-hide_banner', '-loglevel', 'error', '-protocol_whitelist', 'file,udp,rtp', '-i', sdp, '-frames:v', '20', '-f', 'null', '-'], 30_000);
    const sender = spawn(
      'ffmpeg',
      ['-hide_banner', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=15', '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8',
        '-b:v', '300k', '-g', '15', '-ssrc', String(SSRC), '-payload_type', '101', '-f', 'rtp', '-srtp_out_suite', suite, '-srtp_out_params', sendKey,
        `srtp://127.0.0.1:${inbound.tuple.localPort}?pkt_size=1200`],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    try {
      const { code, stderr } = await receiver;
      // 20 decoded frames: every packet of them passed ffmpeg's SRTP authentication and decryption.
      expect({ code, stderr }).toEqual({ code: 0, stderr: expect.not.stringMatching(/error|fail/i) });
      const stats = await producer.getStats();
      expect(stats[0]?.packetCount ?? 0).toBeGreaterThan(20);
    } finally {
      sender.kill('SIGINT');
      inbound.close();
      outbound.close();
    }
  });
});
