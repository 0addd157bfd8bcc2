/** The ROI table's improvement column (metrics/roi.ts). */
import { improvement } from '../../src/metrics/roi';

describe('ROI improvement', () => {
  it('is the relative fall for a lower-is-better metric and the relative rise for a higher-is-better one', () => {
    expect(improvement(300, 240, 'lower')).toBeCloseTo(0.2, 12);
    expect(improvement(0.2, 0.25, 'lower')).toBeCloseTo(-0.25, 12);
    expect(improvement(0.6, 0.75, 'higher')).toBeCloseTo(0.25, 12);
    expect(improvement(4, 3, 'higher')).toBeCloseTo(-0.25, 12);
    expect(improvement(5, 5, 'higher')).toBe(0);
  });

  it('is null ("not enough data") when either side is unknown or the before value is zero', () => {
    expect(improvement(null, 3, 'higher')).toBeNull();
    expect(improvement(3, null, 'lower')).toBeNull();
    expect(improvement(0, 0.1, 'lower')).toBeNull();
  });
});
