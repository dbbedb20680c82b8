import { type EncodeOptions, filterGraph, type RecordedStream, recorderArgs, sdpFor, sortStreams } from './media-args.js';

const mic: RecordedStream = {
  source: 'mic',
  kind: 'audio',
  payloadType: 100,
  mimeType: 'audio/opus',
  clockRate: 48000,
  channels: 2,
  parameters: { minptime: 10, useinbandfec: 1 },
  rtpPort: 20000,
  rtcpPort: 20001,
};
const camera: RecordedStream = {
  source: 'camera',
  kind: 'video',
  payloadType: 101,
  mimeType: 'video/VP8',
  clockRate: 90000,
  parameters: {},
  rtpPort: 30000,
  rtcpPort: 30001,
};
const screen: RecordedStream = {
  source: 'screen',
  kind: 'video',
  payloadType: 102,
  mimeType: 'video/H264',
  clockRate: 90000,
  parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'x-google-start-bitrate': 1000 },
  rtpPort: 40000,
  rtcpPort: 40001,
};
const encode: EncodeOptions = { preset: 'veryfast', segmentSeconds: 4, width: 1280, height: 720, fps: 25 };

/** The value following each occurrence of a flag. */
const valuesOf = (args: string[], flag: string) => args.flatMap((a, i) => (a === flag ? [args[i + 1]] : []));

describe(sortStreams.name, () => {
  it('puts the microphone first, then the camera, then the screen, without changing the list it was given', () => {
    const given = [screen, camera, mic];
    expect(sortStreams(given).map((s) => s.source)).toEqual(['mic', 'camera', 'screen']);
    expect(given.map((s) => s.source)).toEqual(['screen', 'camera', 'mic']);
  });
});

describe(sdpFor.name, () => {
  it('describes each stream on the ports ffmpeg binds, in the order the filter graph counts them', () => {
    const sut = sdpFor([screen, mic, camera]);
    expect(sut).toBe(
      [
        'v=0',
        'o=- 0 0 IN IP4 127.0.0.1',
        's=Tongke recording',
        'c=IN IP4 127.0.0.1',
        't=0 0',
        'm=audio 20000 RTP/AVP 100',
        'a=rtcp:20001',
        'a=rtpmap:100 opus/48000/2',
        'a=fmtp:100 minptime=10;useinbandfec=1',
        'a=recvonly',
        'm=video 30000 RTP/AVP 101',
        'a=rtcp:30001',
        'a=rtpmap:101 VP8/90000',
        'a=recvonly',
        'm=video 40000 RTP/AVP 102',
        'a=rtcp:40001',
        'a=rtpmap:102 H264/90000',
        'a=fmtp:102 packetization-mode=1;profile-level-id=42e01f',
        'a=recvonly',
        '',
      ].join('\r\n'),
    );
  });

  it("leaves out the browser's x-google parameters, and the fmtp line when nothing else is left", () => {
    const sut = sdpFor([{ ...camera, parameters: { 'x-google-start-bitrate': 1000, 'x-google-max-bitrate': 2500 } }]);
    expect(sut).not.toContain('x-google');
    expect(sut).not.toContain('a=fmtp');
  });

  it('ends every line with CRLF, as SDP requires', () => {
    const sut = sdpFor([mic]);
    expect(sut.endsWith('\r\n')).toBe(true);
    expect(sut.split('\r\n').every((line) => !line.includes('\n'))).toBe(true);
  });
});

describe(filterGraph.name, () => {
  it('puts the camera in a corner of the screen share, a quarter of the width, each taken by its place in the SDP', () => {
    // Given camera after screen: the SDP still lists the camera first, so it is video 0 and the screen video 1.
    const sut = filterGraph([mic, screen, camera], encode);
    expect(sut.split(';')).toEqual([
      '[0:a:0]aresample=48000:async=1[a]',
      '[0:v:1]scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720:(ow-iw)/2:(oh-ih)/2,setsar=1[bg]',
      '[0:v:0]scale=320:-2[pip]',
      '[bg][pip]overlay=W-w-24:H-h-24:eof_action=pass,fps=25,format=yuv420p[v]',
    ]);
  });

  it('letterboxes a single picture to fill the frame', () => {
    expect(filterGraph([mic, screen], encode)).toBe(
      '[0:a:0]aresample=48000:async=1[a];[0:v:0]scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=25,format=yuv420p[v]',
    );
  });

  it('draws a waveform of the voice when the teacher sends no picture', () => {
    const sut = filterGraph([mic], { ...encode, width: 640, height: 360, fps: 15 });
    expect(sut).toBe('[0:a:0]aresample=48000:async=1,asplit[a][wave];[wave]showwaves=s=640x360:mode=cline:rate=15:colors=0x4ade80,fps=15,format=yuv420p[v]');
  });

  it('records silence when the teacher sends no sound, so every part has an audio track', () => {
    const sut = filterGraph([camera], encode);
    expect(sut.split(';')[0]).toBe('anullsrc=r=48000:cl=stereo[a]');
    expect(sut).not.toContain('[0:a:0]');
  });
});

describe(recorderArgs.name, () => {
  const sut = recorderArgs('/rec/7/part-003/input.sdp', '/rec/7/part-003', [mic, camera], encode);

  it('reads the RTP that the SDP describes, and nothing but local files and RTP', () => {
    expect(valuesOf(sut, '-i')).toEqual(['/rec/7/part-003/input.sdp']);
    expect(valuesOf(sut, '-protocol_whitelist')).toEqual(['file,udp,rtp']);
  });

  it('reports its progress on stdout, where the recorder learns that the part has written media', () => {
    expect(valuesOf(sut, '-progress')).toEqual(['pipe:1']);
  });

  it('writes the main picture, the small one and the voice alone as HLS, each in its folder', () => {
    expect(valuesOf(sut, '-map')).toEqual(['[vmain]', '[amain]', '[vlow]', '[alow]', '[avoice]']);
    expect(valuesOf(sut, '-hls_segment_filename')).toEqual(['/rec/7/part-003/seg-%05d.ts', '/rec/7/part-003/low/seg-%05d.ts', '/rec/7/part-003/audio/seg-%05d.ts']);
    expect(sut.filter((a) => a.endsWith('index.m3u8'))).toEqual(['/rec/7/part-003/index.m3u8', '/rec/7/part-003/low/index.m3u8', '/rec/7/part-003/audio/index.m3u8']);
    expect(valuesOf(sut, '-hls_time')).toEqual(['4', '4', '4']);
    expect(valuesOf(sut, '-b:v')).toEqual(['1500k', '400k']);
  });

  it('builds one filter graph for all three, from the part layout', () => {
    const [graph, ...more] = valuesOf(sut, '-filter_complex');
    expect(more).toEqual([]);
    expect(graph.startsWith(`${filterGraph([mic, camera], encode)};`)).toBe(true);
    expect(graph).toContain('[v]split=2[vmain][vfull]');
    expect(graph).toContain('[a]asplit=3[amain][alow][avoice]');
  });

  it('puts a key frame every two seconds in both pictures, so that segments of both renditions cut at the same times', () => {
    expect(valuesOf(sut, '-g')).toEqual(['50', '30']);
    expect(valuesOf(sut, '-keyint_min')).toEqual(['50', '30']);
    expect(valuesOf(recorderArgs('/x.sdp', '/x', [camera], { ...encode, fps: 30 }), '-g')).toEqual(['60', '30']);
  });

  it('encodes with the preset it is given', () => {
    expect(valuesOf(recorderArgs('/x.sdp', '/x', [camera], { ...encode, preset: 'ultrafast' }), '-preset')).toEqual(['ultrafast', 'superfast']);
  });
});
