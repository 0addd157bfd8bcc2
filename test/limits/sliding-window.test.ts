/** The rolling window's arithmetic: the grace, the weighted previous window, and how long a refused client waits. */
import { admittedPerWindow, msUntilAdmitted, positionOf, rollingCount, secondsToWait } from '../../src/limits/sliding-window';

const MINUTE = 60_000;

describe('the rolling window', () => {
  it.each([
    [6000, 6600],
    [10, 11],
    [3, 3],
    [1, 1],
    [100, 110],
    [15, 16],
  ])('admits a limit of %i with its 10%% grace as %i per window', (limit, admitted) => {
    expect(admittedPerWindow(limit)).toBe(admitted);
  });

  it('places a moment in its epoch-aligned fixed window', () => {
    expect(positionOf(10 * MINUTE + 1500, MINUTE)).toEqual({ index: 10, elapsedMs: 1500 });
    expect(positionOf(10 * MINUTE, MINUTE)).toEqual({ index: 10, elapsedMs: 0 });
  });

  it('weighs the previous window by the part of it still inside the rolling window', () => {
    expect(rollingCount(100, 10, 0, MINUTE)).toBe(110);
    expect(rollingCount(100, 10, MINUTE / 4, MINUTE)).toBe(85);
    expect(rollingCount(100, 10, MINUTE / 2, MINUTE)).toBe(60);
  });

  it('admits at once when nothing fills the window', () => {
    expect(msUntilAdmitted(0, 5, 1000, MINUTE, 11)).toBe(0);
  });

  it('waits, while the current window has room, until enough of the previous window slid out', () => {
    // 10 of the previous window still weigh 10 × 0.9 = 9 at 6 s; 9 + 2 + 1 > 11 until 10 × (1 − f) ≤ 8, f = 0.2 (12 s).
    expect(msUntilAdmitted(10, 2, 6000, MINUTE, 11)).toBeCloseTo(6000, 6);
  });

  it('waits into the next window when the current window alone is full', () => {
    // 11 this window, 30 s in: the next window begins in 30 s; there 11 × (1 − f) + 1 ≤ 11 once f = 1/11.
    expect(msUntilAdmitted(0, 11, 30_000, MINUTE, 11)).toBeCloseTo(30_000 + MINUTE / 11, 6);
  });

  it.each([
    [0, 1],
    [1, 1],
    [1000, 1],
    [1001, 2],
    [59_999, 60],
  ])('tells a client to wait %i ms as %i whole seconds (at least 1)', (ms, seconds) => {
    expect(secondsToWait(ms)).toBe(seconds);
  });
});
