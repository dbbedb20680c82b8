import { Global, Module } from '@nestjs/common';

/**
 * Time and timers, injected: grace periods, sweeps and restart windows read the time and set their timers through
 * this, so a test can move time on instead of waiting for it. Timers never keep the process alive.
 */
export interface Clock {
  now(): Date;
  setTimeout(fn: () => void, ms: number): Timer;
  clearTimeout(timer: Timer | undefined): void;
  setInterval(fn: () => void, ms: number): Timer;
  clearInterval(timer: Timer | undefined): void;
}

export interface Timer {
  readonly id: unknown;
}

export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = {
  now: () => new Date(),
  setTimeout: (fn, ms) => ({ id: setTimeout(fn, ms).unref() }),
  clearTimeout: (t) => clearTimeout(t?.id as NodeJS.Timeout | undefined),
  setInterval: (fn, ms) => ({ id: setInterval(fn, ms).unref() }),
  clearInterval: (t) => clearInterval(t?.id as NodeJS.Timeout | undefined),
};

/** The system clock for every module (tests that want their own replace the CLOCK provider). */
@Global()
@Module({ providers: [{ provide: CLOCK, useValue: systemClock }], exports: [CLOCK] })
export class ClockModule {}
