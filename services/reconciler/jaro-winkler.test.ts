import { describe, expect, it } from 'vitest';
import { jaro, jaroWinkler } from './jaro-winkler.ts';

// Reference values from Winkler (1990) and the usual textbook examples.
describe('Jaro–Winkler', () => {
  it('matches the published examples', () => {
    expect(jaro('MARTHA', 'MARHTA')).toBeCloseTo(0.9444, 4);
    expect(jaroWinkler('MARTHA', 'MARHTA')).toBeCloseTo(0.9611, 4);
    expect(jaroWinkler('DWAYNE', 'DUANE')).toBeCloseTo(0.84, 2);
    expect(jaroWinkler('DIXON', 'DICKSONX')).toBeCloseTo(0.8133, 4);
  });

  it('handles identity, emptiness and Han characters', () => {
    expect(jaroWinkler('王伟', '王伟')).toBe(1);
    expect(jaroWinkler('', '')).toBe(1);
    expect(jaroWinkler('王伟', '')).toBe(0);
    expect(jaroWinkler('张晓明', '张晓鸣')).toBeGreaterThan(jaroWinkler('张晓明', '张芳'));
  });
});
