/** Time as a dependency, so TTLs and recency are tested without sleeping or mocking Date. */
export interface Clock {
  now(): Date;
}

/** The real clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private current: Date = new Date('2026-02-07T10:30:00.000Z')) {}

  now(): Date {
    return new Date(this.current);
  }

  /** Moves time forward by the given milliseconds. */
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }

  /** Sets the time. */
  set(date: Date): void {
    this.current = new Date(date);
  }
}
