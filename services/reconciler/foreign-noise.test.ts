import { describe, expect, it } from 'vitest';
import { memberObserved } from '../../schemas/events/member-observed.ts';
import { FOREIGN_KINDS, householdPhones, parseForeignNoise, withForeignNoise, type ForeignKind } from './foreign-noise.ts';
import { normaliseObservation } from './normalise/index.ts';
import { populationEvents } from './stream/population-events.ts';
import { recordKey } from './stream/record-key.ts';

const fx = populationEvents(300, 'foreign-noise-test', { withBirthDates: true });
const bornOf = (e: (typeof fx.events)[number]) => fx.birthDates!.get(recordKey(e.source));
const only = (k: ForeignKind, rate = 1) => parseForeignNoise(`${k}=${rate}`);
const personOf = new Map(fx.truth.map((t) => [`${t.system}/default/${t.id}`, t.personId]));
const households = householdPhones(fx.events, (k) => personOf.get(k), 0.5, 's');

describe('foreign noise', () => {
  it('parses one rate for every kind or named kinds, and names what is wrong', () => {
    expect(Object.values(parseForeignNoise('0.05'))).toEqual(FOREIGN_KINDS.map(() => 0.05));
    expect(parseForeignNoise('phoneTypo=0.2,genderFlip=0.1')).toMatchObject({ phoneTypo: 0.2, genderFlip: 0.1, birthDateTypo: 0 });
    expect(() => parseForeignNoise('phoneTypos=0.1')).toThrow(/unknown kind "phoneTypos".*phoneTypo/u);
    expect(() => parseForeignNoise('phoneTypo=2')).toThrow(/phoneTypo must be a rate from 0 to 1, got "2"/u);
    expect(() => parseForeignNoise('')).toThrow(/rate from 0 to 1/u);
  });

  it('changes nothing at rate 0 and is the same on every run, whatever the order', () => {
    const zero = parseForeignNoise('0');
    for (const e of fx.events) expect(withForeignNoise(e, zero, 's')).toEqual(e);
    const all = parseForeignNoise('0.5');
    const forward = fx.events.map((e) => withForeignNoise(e, all, 's'));
    const backward = [...fx.events].reverse().map((e) => withForeignNoise(e, all, 's')).reverse();
    expect(backward).toEqual(forward);
    expect(forward.filter((e, i) => JSON.stringify(e) !== JSON.stringify(fx.events[i])).length).toBeGreaterThan(fx.events.length / 4);
  });

  it('each kind alters only its field, and every result is still a valid member.observed event', () => {
    const field: Record<ForeignKind, 'birthDate' | 'phone' | 'idNumber' | 'name' | 'gender'> = {
      birthDateStated: 'birthDate', birthDateTypo: 'birthDate', phoneTypo: 'phone', phoneFormat: 'phone', idFormat: 'idNumber', nameSpacing: 'name', genderFlip: 'gender', namePinyin: 'name', nameWestern: 'name', householdPhone: 'phone', nameCharTypo: 'name', nameAnnotation: 'name',
    };
    for (const k of FOREIGN_KINDS) {
      let changed = 0;
      for (const e of fx.events) {
        const n = withForeignNoise(e, only(k), 's', { birthDate: bornOf(e), householdPhone: k === 'householdPhone' ? households.get(recordKey(e.source)) : undefined });
        expect(memberObserved.safeParse(n).success).toBe(true);
        for (const f of Object.keys(e.payload) as Array<keyof typeof e.payload>) if (f !== field[k]) expect(n.payload[f]).toEqual(e.payload[f]);
        if (n.payload[field[k]] !== e.payload[field[k]]) changed++;
      }
      expect(changed, k).toBeGreaterThan(0);
    }
  });

  it('states the true birth date only where a record has none', () => {
    let stated = 0;
    for (const e of fx.events) {
      const n = withForeignNoise(e, only('birthDateStated'), 's', { birthDate: bornOf(e) });
      if (e.payload.birthDate !== undefined) expect(n.payload.birthDate).toBe(e.payload.birthDate);
      else if (n.payload.birthDate !== undefined) {
        stated++;
        expect(n.payload.birthDate).toBe(bornOf(e));
      }
    }
    expect(stated).toBeGreaterThan(fx.events.length / 4);
  });

  it('typos change the value the matcher compares; formats leave it as it was', () => {
    for (const e of fx.events) {
      const key = recordKey(e.source);
      const before = normaliseObservation(e.payload, key);
      if (e.payload.phone !== undefined && before.phone !== null) {
        expect(normaliseObservation(withForeignNoise(e, only('phoneFormat'), 's').payload, key).phone).toBe(before.phone);
        expect(normaliseObservation(withForeignNoise(e, only('phoneTypo'), 's').payload, key).phone).not.toBe(before.phone);
      }
      if (e.payload.birthDate !== undefined) expect(withForeignNoise(e, only('birthDateTypo'), 's').payload.birthDate).not.toBe(e.payload.birthDate);
      // One character replaced, by one that reads otherwise: the homophone key changes too.
      if (/^\p{Script=Han}{2,4}$/u.test(e.payload.name)) {
        const typo = normaliseObservation(withForeignNoise(e, only('nameCharTypo'), 's').payload, key);
        expect([...typo.name!].filter((c, i) => c !== [...before.name!][i]).length).toBe(1);
        expect(typo.nameKey).not.toBe(before.nameKey);
      }
      if (e.payload.idNumber !== undefined && before.idDigits !== null && !before.idInvalid) {
        expect(normaliseObservation(withForeignNoise(e, only('idFormat'), 's').payload, key).idDigits).toBe(before.idDigits);
      }
    }
  });
});
