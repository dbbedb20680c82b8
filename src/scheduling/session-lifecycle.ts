import { Injectable } from '@nestjs/common';
import { SessionRepository } from './session.repository.js';

/**
 * The only writer of a session's status, and of whether its class is recorded. Every change is a guarded
 * transition (`UPDATE … WHERE status = ANY(from) RETURNING`): a cancel and a start arriving together can't both
 * win, so a cancelled class is never left live. Each method says what it changed; the caller explains a refusal.
 */
@Injectable()
export class SessionLifecycle {
  constructor(private readonly sessions: SessionRepository) {}

  /** scheduled → live: its teacher opened the class. False when it was no longer scheduled. */
  async open(id: number): Promise<boolean> {
    return (await this.sessions.transition([id], ['scheduled'], 'live')).length === 1;
  }

  /** live → ended. False when it was not live (ended by someone else meanwhile). */
  async close(id: number): Promise<boolean> {
    return (await this.sessions.transition([id], ['live'], 'ended')).length === 1;
  }

  /** scheduled → cancelled, for those of `ids` still scheduled; returns those cancelled. */
  cancel(ids: number[]): Promise<number[]> {
    return this.sessions.transition(ids, ['scheduled'], 'cancelled');
  }

  /** Whether its class will be recorded, decided while it is scheduled. False when it no longer is. */
  setRecord(id: number, record: boolean): Promise<boolean> {
    return this.sessions.setRecord(id, record);
  }
}
