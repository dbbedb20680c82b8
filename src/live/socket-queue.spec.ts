import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { defer, EMPTY, lastValueFrom, type Observable } from 'rxjs';
import { SocketQueueInterceptor } from './socket-queue.js';

type Socket = { data: { queue?: Promise<unknown> } };

/** What a gateway handler does: the test finishes it (or fails it) when it chooses. */
class Handler {
  private readonly done = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  constructor(private readonly started: string[]) {}
  next(name: string): CallHandler {
    return {
      handle: () =>
        defer(() => {
          this.started.push(name);
          return new Promise((resolve, reject) => this.done.set(name, { resolve, reject }));
        }),
    };
  }
  finish(name: string, value: unknown = name) {
    this.done.get(name)!.resolve(value);
  }
  fail(name: string, e: Error) {
    this.done.get(name)!.reject(e);
  }
}

const contextOf = (socket: Socket) => ({ switchToWs: () => ({ getClient: () => socket }) }) as unknown as ExecutionContext;
const settle = () => new Promise((r) => setImmediate(r));
const result = (o: Observable<unknown>) => lastValueFrom(o, { defaultValue: undefined });

describe(SocketQueueInterceptor.name, () => {
  let sut: SocketQueueInterceptor;
  let started: string[];
  let handler: Handler;
  beforeEach(() => {
    sut = new SocketQueueInterceptor();
    started = [];
    handler = new Handler(started);
  });

  it("handles one socket's messages one after the other, in the order they came", async () => {
    const socket: Socket = { data: {} };
    const first = result(sut.intercept(contextOf(socket), handler.next('produce camera')));
    const second = result(sut.intercept(contextOf(socket), handler.next('produce mic')));
    await settle();
    expect(started).toEqual(['produce camera']);
    handler.finish('produce camera');
    await expect(first).resolves.toBe('produce camera');
    await settle();
    expect(started).toEqual(['produce camera', 'produce mic']);
    handler.finish('produce mic', { producerId: 'p2' });
    await expect(second).resolves.toEqual({ producerId: 'p2' });
  });

  it('handles the messages of different sockets side by side', async () => {
    const a: Socket = { data: {} };
    const b: Socket = { data: {} };
    void result(sut.intercept(contextOf(a), handler.next('a: join')));
    const fromB = result(sut.intercept(contextOf(b), handler.next('b: join')));
    await settle();
    expect(started).toEqual(['a: join', 'b: join']);
    handler.finish('b: join');
    await expect(fromB).resolves.toBe('b: join'); // while a's join is still running
  });

  it("goes on with a socket's next message after one fails, and the failure reaches only its sender", async () => {
    const socket: Socket = { data: {} };
    const failing = result(sut.intercept(contextOf(socket), handler.next('consume')));
    const next = result(sut.intercept(contextOf(socket), handler.next('resume')));
    await settle();
    handler.fail('consume', new Error('no such producer'));
    await expect(failing).rejects.toThrow('no such producer');
    await settle();
    expect(started).toEqual(['consume', 'resume']);
    handler.finish('resume');
    await expect(next).resolves.toBe('resume');
  });

  it('answers undefined for a handler that completes without a value', async () => {
    const socket: Socket = { data: {} };
    await expect(result(sut.intercept(contextOf(socket), { handle: () => EMPTY }))).resolves.toBeUndefined();
    // and the socket's queue goes on
    const next = result(sut.intercept(contextOf(socket), handler.next('leave')));
    await settle();
    handler.finish('leave');
    await expect(next).resolves.toBe('leave');
  });
});
