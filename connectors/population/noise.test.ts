import { describe, expect, it } from 'vitest';
import { parseIdNumber } from '../../schemas/id-number.ts';
import { DEFAULT_NOISE, NOISE_KINDS, SYSTEMS, generatePopulation, type Population } from './index.ts';

// Another seed re-runs every assertion on another population: POPULATION_TEST_SEED=x vitest run …
const SEED = process.env.POPULATION_TEST_SEED ?? '';

/** Within 4.5 binomial standard deviations (plus one record's worth of rounding). */
function expectRate(applied: number, atRisk: number, rate: number, label: string): void {
  const sd = Math.sqrt((rate * (1 - rate)) / atRisk);
  expect(Math.abs(applied / atRisk - rate), `${label}: ${applied}/${atRisk} vs ${rate}`).toBeLessThanOrEqual(4.5 * sd + 1 / atRisk);
}

function checkLedger(pop: Population, minAtRisk: number): number {
  let checked = 0;
  for (const system of SYSTEMS) {
    for (const kind of NOISE_KINDS) {
      const { atRisk, applied } = pop.noiseLedger[system][kind];
      const rate = pop.settings.noise[system][kind];
      if (rate === 0) expect(applied, `${system}/${kind}`).toBe(0);
      if (atRisk < minAtRisk) continue;
      expectRate(applied, atRisk, rate, `${system}/${kind}`);
      checked++;
    }
  }
  return checked;
}

describe('noise rates', () => {
  const pop = generatePopulation({ persons: 5000, seed: `noise${SEED}` });

  it('realises the configured default rates within tolerance', () => {
    expect(pop.settings.noise).toEqual(DEFAULT_NOISE);
    expect(checkLedger(pop, 300)).toBeGreaterThan(25);
  });

  it('agrees with the ledger when counted from the member-system rows themselves', () => {
    const rows = pop.systems.memberSystem.rows;
    const personOf = new Map(pop.truth.records.filter((r) => r.kind === 'member-row').map((r) => [r.id, r.personId]));
    const persons = new Map(pop.persons.map((p) => [p.id, p]));
    let wrong = 0;
    let legacy = 0;
    let lowercase = 0;
    let endsInX = 0;
    let fullWidth = 0;
    for (const row of rows) {
      const raw = row.公民身份证号码;
      const ascii = raw.normalize('NFKC');
      const p = persons.get(personOf.get(row.记录ID) ?? '');
      if (!parseIdNumber(raw).ok) wrong++;
      if (ascii.length === 15) legacy++;
      if (ascii.length === 18 && /[xX]$/u.test(ascii) && p?.idNumber.endsWith('X')) endsInX++;
      if (ascii.endsWith('x')) lowercase++;
      if (ascii !== raw || row.联系电话.normalize('NFKC') !== row.联系电话) fullWidth++;
    }
    const ledger = pop.noiseLedger['member-system'];
    expect(wrong).toBe(ledger.idWrongDigit.applied);
    expect(legacy).toBe(ledger.idLegacy15.applied);
    expect(lowercase).toBe(ledger.idLowercaseX.applied);
    expect(endsInX).toBe(ledger.idLowercaseX.atRisk);
    expect(fullWidth).toBe(ledger.fullWidth.applied);
    expect(ledger.fullWidth.atRisk).toBe(rows.length);
  });

  it('follows overrides: raised rates are realised too', () => {
    const noisy = generatePopulation({
      persons: 3000, seed: `noisy${SEED}`,
      noise: { 'member-system': { nameTypo: 0.3, idWrongDigit: 0.2, duplicate: 0.1 }, oa: { phoneStale: 0.9 } },
    });
    expect(noisy.settings.noise['member-system'].nameTypo).toBe(0.3);
    expect(noisy.settings.noise.xapi).toEqual(DEFAULT_NOISE.xapi);
    checkLedger(noisy, 200);
    const ms = noisy.noiseLedger['member-system'];
    expect(ms.nameTypo.applied / ms.nameTypo.atRisk).toBeGreaterThan(0.25);
    expect(ms.duplicate.applied).toBeGreaterThan(200);
  });

  it('yields clean records with noiseScale 0', () => {
    const clean = generatePopulation({ persons: 1500, seed: `clean${SEED}`, noiseScale: 0 });
    for (const r of clean.truth.records) expect(r.noise).toEqual([]);
    const persons = new Map(clean.persons.map((p) => [p.id, p]));
    const personOf = new Map(clean.truth.records.map((r) => [r.id, r.personId]));
    for (const row of clean.systems.memberSystem.rows) {
      const p = persons.get(personOf.get(row.记录ID) ?? '');
      expect(row.姓名).toBe(p?.name);
      expect(row.公民身份证号码).toBe(p?.idNumber);
      expect(row.联系电话).toBe(p?.phones.at(-1));
    }
  });

  it('rejects rates that are not numbers', () => {
    expect(() => generatePopulation({ persons: 10, seed: 1, noise: { wechat: { nameTypo: Number.NaN } } })).toThrow();
  });
});
