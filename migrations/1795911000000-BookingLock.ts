import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A booking copies its session's time (for the exclusion constraint) under a share lock on the session row.
 * It read it unlocked, so a booking made while a move of its session was not yet committed kept the old time,
 * and the classroom ended up booked twice at once (#11.1). Now the booking waits for the move and copies the
 * new time, or the move waits for the booking and carries it along; either way the constraint sees the truth.
 */
export class BookingLock1795911000000 implements MigrationInterface {
  name = 'BookingLock1795911000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION session_classroom_copy_time() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE s class_session%ROWTYPE;
      BEGIN
        SELECT * INTO s FROM class_session WHERE id = NEW.session_id FOR SHARE;
        NEW.during := s.during;
        NEW.active := s.status <> 'cancelled';
        RETURN NEW;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION session_classroom_copy_time() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE s class_session%ROWTYPE;
      BEGIN
        SELECT * INTO s FROM class_session WHERE id = NEW.session_id;
        NEW.during := s.during;
        NEW.active := s.status <> 'cancelled';
        RETURN NEW;
      END $$`);
  }
}
