import type { HandQueue } from '../contracts/live.js';

/**
 * The raised hands of a class (first raised first) and the one classroom that holds the floor (may talk back).
 * Pure state: the live class decides who may change it and tells the class.
 */
export class Floor {
  private hands: number[] = [];
  private holder: number | null = null;

  queue(): HandQueue {
    return { classroomIds: [...this.hands], floor: this.holder };
  }

  raiseHand(classroomId: number): void {
    if (!this.hands.includes(classroomId) && this.holder !== classroomId) this.hands.push(classroomId);
  }

  lowerHand(classroomId: number): void {
    this.hands = this.hands.filter((id) => id !== classroomId);
  }

  /** Gives the floor to one classroom (taking it from any other, and lowering its hand); returns the one that lost it. */
  grant(classroomId: number): number | null {
    const previous = this.holder !== classroomId ? this.holder : null;
    this.holder = classroomId;
    this.lowerHand(classroomId);
    return previous;
  }

  /** Takes the floor back from this classroom; false when it did not hold it. */
  revoke(classroomId: number): boolean {
    if (this.holder !== classroomId) return false;
    this.holder = null;
    return true;
  }

  holds(classroomId: number | null): boolean {
    return classroomId !== null && this.holder === classroomId;
  }

  /** The classroom gives up its place: its hand and the floor. */
  forget(classroomId: number): void {
    this.lowerHand(classroomId);
    this.revoke(classroomId);
  }

  /** The classrooms with a hand up or the floor, the holder first. */
  withPlace(): number[] {
    return this.holder === null ? [...this.hands] : [this.holder, ...this.hands];
  }
}
