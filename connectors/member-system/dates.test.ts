// Date leniency on the population's own dates: every spelling real exports use parses back to
// the same day; impossible days and words do not.
import { describe, expect, it } from 'vitest';
import { parseDate } from './dates.ts';
import { population } from './test-fixtures.ts';

const days = [...new Set(population(300).persons.flatMap((p) => [p.birthDate, p.joinedAt]))];

describe('parseDate', () => {
  it('reads ISO, dotted, slashed, compact, 年月日, datetime text and Excel serials as the same day', () => {
    for (const iso of days) {
      const [y, m, d] = iso.split('-') as [string, string, string];
      const serial = (Date.parse(`${iso}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / 86_400_000;
      const spellings = [iso, ` ${iso} `, `${y}.${m}.${d}`, `${y}/${Number(m)}/${Number(d)}`, `${y}${m}${d}`, `${y}年${Number(m)}月${Number(d)}日`, `${iso} 00:00:00`, serial, String(serial)];
      for (const s of spellings) expect(parseDate(s), String(s)).toBe(iso);
    }
  });

  it('leaves empty cells out and rejects impossible days and words', () => {
    expect([parseDate(''), parseDate('  '), parseDate(null)]).toEqual([undefined, undefined, undefined]);
    for (const iso of days.slice(0, 50)) {
      const y = iso.slice(0, 4);
      for (const bad of [`${y}-02-30`, `${y}-13-01`, `${y}.00.10`, '不详', `${y}年`, -5]) expect(parseDate(bad), String(bad)).toBeNull();
    }
  });
});
