import { ClassEvents, type LiveClassEvents } from './class-events.js';

/** A promise and the function that resolves it, for listeners the test lets finish when it chooses. */
const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
};

describe(ClassEvents.name, () => {
  let sut: ClassEvents;
  let errors: [keyof LiveClassEvents, string][];
  beforeEach(() => {
    errors = [];
    sut = new ClassEvents((event, e) => errors.push([event, e.message]));
  });

  it('runs the listeners of an event in the order they were added, with its arguments', async () => {
    const heard: string[] = [];
    sut.on('linkQuality', (id, q) => void heard.push(`first ${id} ${q.grade}`));
    sut.on('linkQuality', (id, q) => void heard.push(`second ${id} ${q.grade}`));
    sut.on('ending', () => void heard.push('ending'));
    await sut.emit('linkQuality', 12, { samples: 1, avgBitrateKbps: 800, maxLossPct: 0, avgJitterMs: 10, framesDecoded: 25, grade: 'good' });
    expect(heard).toEqual(['first 12 good', 'second 12 good']);
  });

  it('waits for each listener before the next, and resolves only after the last', async () => {
    const heard: string[] = [];
    const first = gate();
    sut.on('ending', async () => {
      heard.push('first started');
      await first.opened;
      heard.push('first done');
    });
    sut.on('ending', () => void heard.push('second'));
    let emitted = false;
    const emitting = sut.emit('ending').then(() => (emitted = true));
    await new Promise((r) => setImmediate(r));
    expect(heard).toEqual(['first started']);
    expect(emitted).toBe(false);
    first.open();
    await emitting;
    expect(heard).toEqual(['first started', 'first done', 'second']);
  });

  it('reports a listener that throws or rejects, and still runs the others', async () => {
    const heard: string[] = [];
    sut.on('teacherMediaChanged', () => {
      throw new Error('recorder is gone');
    });
    sut.on('teacherMediaChanged', async () => {
      await Promise.resolve();
      throw new Error('attendance write failed');
    });
    sut.on('teacherMediaChanged', () => void heard.push('third'));
    await expect(sut.emit('teacherMediaChanged')).resolves.toBeUndefined();
    expect(heard).toEqual(['third']);
    expect(errors).toEqual([
      ['teacherMediaChanged', 'recorder is gone'],
      ['teacherMediaChanged', 'attendance write failed'],
    ]);
  });

  it('resolves at once for an event nobody listens to', async () => {
    await expect(sut.emit('closed')).resolves.toBeUndefined();
    expect(errors).toEqual([]);
  });
});
