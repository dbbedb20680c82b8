import { receptionOf, type ReceivedVideo } from './reception.js';

const camera = (v: Partial<ReceivedVideo> = {}): ReceivedVideo => ({ source: 'camera', producerPaused: false, cut: false, ...v });
const screen = (v: Partial<ReceivedVideo> = {}): ReceivedVideo => ({ source: 'screen', producerPaused: false, cut: false, ...v });

describe(receptionOf.name, () => {
  it('names the camera picture the link carries', () => {
    expect([2, 1, 0].map((spatialLayer) => receptionOf([camera({ spatialLayer })]))).toEqual(['high', 'medium', 'low']);
  });

  it('says slides when the camera is cut and the screen share still arrives, audio when nothing does', () => {
    expect(receptionOf([camera({ cut: true }), screen()])).toBe('slides');
    expect(receptionOf([camera({ cut: true }), screen({ cut: true })])).toBe('audio');
    expect(receptionOf([camera({ cut: true })])).toBe('audio');
  });

  it('judges nothing before a layer is chosen, or when the teacher turned her camera off', () => {
    expect(receptionOf([camera()])).toBeNull();
    expect(receptionOf([camera({ producerPaused: true, cut: true }), screen()])).toBeNull();
    expect(receptionOf([])).toBeNull();
  });
});
