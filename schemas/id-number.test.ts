import { describe, expect, it } from 'vitest';
import {
  birthDateOf,
  checkDigit,
  checkIdNumber18,
  convert15to18,
  convert18to15,
  genderOf,
  isValidIdNumber,
  normalizeIdNumber,
  parseIdNumber,
  regionCodeOf,
  toIdNumber18,
} from './id-number.ts';

// The two worked examples printed in GB 11643-1999 itself.
const STANDARD_EXAMPLES = ['11010519491231002X', '440524188001010014'];

describe('check digit (ISO 7064 MOD 11-2)', () => {
  it('reproduces the examples of the standard', () => {
    for (const id of STANDARD_EXAMPLES) expect(checkDigit(id.slice(0, 17))).toBe(id.slice(17));
  });

  it('detects every single-digit substitution', () => {
    for (const id of STANDARD_EXAMPLES) {
      for (let pos = 0; pos < 17; pos++) {
        for (let d = 0; d <= 9; d++) {
          const changed = id.slice(0, pos) + String(d) + id.slice(pos + 1);
          if (changed === id) continue;
          expect(checkIdNumber18(changed).ok && changed !== id).toBe(false);
        }
      }
    }
  });

  it('rejects input that is not 17 digits', () => {
    expect(() => checkDigit('1234')).toThrow();
    expect(() => checkDigit('1101051949123100a')).toThrow();
  });
});

describe('validation', () => {
  it('accepts valid numbers and names the problem otherwise', () => {
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(checkIdNumber18('110105194912310021')).toEqual({ ok: false, problem: 'checksum' });
    expect(checkIdNumber18('110105194902300021')).toEqual({ ok: false, problem: 'birth-date' });
    expect(checkIdNumber18('1101051949123100')).toEqual({ ok: false, problem: 'format' });
    expect(checkIdNumber18('11010519491231002x')).toEqual({ ok: false, problem: 'format' });
  });

  it('accepts lower-case x and full-width characters on input and normalises them', () => {
    expect(normalizeIdNumber('11010519491231002x')).toBe('11010519491231002X');
    expect(normalizeIdNumber('１１０１０５１９４９１２３１００２ｘ')).toBe('11010519491231002X');
    expect(normalizeIdNumber(' 110105 1949-1231 002X ')).toBe('11010519491231002X');
    expect(parseIdNumber('11010519491231002x')).toEqual({ ok: true, id: '11010519491231002X' });
  });
});

describe('15 ↔ 18 digits', () => {
  it('inserts the century 19 and computes the check digit', () => {
    expect(convert15to18('110105491231002')).toBe('11010519491231002X');
    expect(convert18to15('11010519491231002X')).toBe('110105491231002');
    expect(toIdNumber18('110105491231002')).toBe('11010519491231002X');
  });

  it('round-trips for many generated numbers', () => {
    let x = 12345;
    for (let i = 0; i < 500; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      const day = 1 + (x % 28);
      const month = 1 + (x % 12);
      const year = 1900 + (x % 100);
      const first17 = `360102${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${String(x % 1000).padStart(3, '0')}`;
      const id18 = first17 + checkDigit(first17);
      expect(isValidIdNumber(id18)).toBe(true);
      expect(convert15to18(convert18to15(id18))).toBe(id18);
    }
  });

  it('refuses what has no such form', () => {
    expect(() => convert15to18('11010549123100')).toThrow();
    expect(() => convert18to15('110105200012310021')).toThrow();
    expect(parseIdNumber('110105491331002')).toEqual({ ok: false, problem: 'birth-date' });
  });
});

describe('fields', () => {
  it('extracts birth date, gender and region from 18 and 15 digits', () => {
    expect(birthDateOf('11010519491231002X')).toBe('1949-12-31');
    expect(birthDateOf('110105491231002')).toBe('1949-12-31');
    expect(genderOf('11010519491231002X')).toBe('女');
    expect(genderOf('440524188001010014')).toBe('男');
    expect(genderOf('110105491231001')).toBe('男');
    expect(regionCodeOf('440524188001010014')).toBe('440524');
    expect(regionCodeOf('１１０１０５４９１２３１００２')).toBe('110105');
  });

  it('returns null for what is not an id number', () => {
    expect(birthDateOf('abc')).toBeNull();
    expect(genderOf('')).toBeNull();
    expect(regionCodeOf('13800138000')).toBeNull();
    expect(birthDateOf('110105194913310021')).toBeNull();
  });
});
