import { Floor } from './floor.js';

describe(Floor.name, () => {
  let sut: Floor;
  beforeEach(() => (sut = new Floor()));

  it('queues raised hands first raised first, each once', () => {
    sut.raiseHand(3);
    sut.raiseHand(1);
    sut.raiseHand(3);
    expect(sut.queue()).toEqual({ classroomIds: [3, 1], floor: null });
  });

  it('gives the floor to one classroom, lowering its hand, and says who lost it', () => {
    sut.raiseHand(3);
    sut.raiseHand(1);
    expect(sut.grant(3)).toBeNull();
    expect(sut.queue()).toEqual({ classroomIds: [1], floor: 3 });
    expect(sut.grant(1)).toBe(3);
    expect(sut.queue()).toEqual({ classroomIds: [], floor: 1 });
    expect(sut.grant(1)).toBeNull();
  });

  it('does not queue the hand of the classroom that holds the floor', () => {
    sut.grant(2);
    sut.raiseHand(2);
    expect(sut.queue().classroomIds).toEqual([]);
  });

  it('takes the floor back only from its holder', () => {
    sut.grant(2);
    expect(sut.revoke(5)).toBe(false);
    expect(sut.holds(2)).toBe(true);
    expect(sut.revoke(2)).toBe(true);
    expect(sut.holds(2)).toBe(false);
    expect(sut.holds(null)).toBe(false);
  });

  it('forgets a classroom that gives up its place, and lists those with one, the holder first', () => {
    sut.raiseHand(4);
    sut.raiseHand(5);
    sut.grant(6);
    expect(sut.withPlace()).toEqual([6, 4, 5]);
    sut.forget(6);
    sut.forget(4);
    expect(sut.withPlace()).toEqual([5]);
  });
});
