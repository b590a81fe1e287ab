// Applies the noise model to one system's view of one person. Every decision goes through the
// ledger, which counts how many records were at risk of each kind and how many got it, so the
// realised rates are reported in the manifest and checked by the tests.
import { convert18to15 } from '../../schemas/id-number.ts';
import type { Rng } from './rng.ts';
import { TYPO_SUBSTITUTES, toTraditional } from './tables/char-variants.ts';
import { NOISE_KINDS, type NoiseKind, type SystemNoise } from './noise-rates.ts';
import type { Person, SystemId } from './types.ts';
import { SYSTEMS } from './types.ts';

export interface LedgerEntry {
  atRisk: number;
  applied: number;
}
export type LedgerSnapshot = Record<SystemId, Record<NoiseKind, LedgerEntry>>;

export class NoiseLedger {
  readonly #counts: LedgerSnapshot;

  constructor() {
    const counts = {} as LedgerSnapshot;
    for (const s of SYSTEMS) {
      const kinds = {} as Record<NoiseKind, LedgerEntry>;
      for (const k of NOISE_KINDS) kinds[k] = { atRisk: 0, applied: 0 };
      counts[s] = kinds;
    }
    this.#counts = counts;
  }

  /** One Bernoulli trial of `kind` for a record at risk of it. */
  roll(system: SystemId, kind: NoiseKind, rate: number, rng: Rng): boolean {
    const entry = this.#counts[system][kind];
    entry.atRisk++;
    const hit = rng.chance(rate);
    if (hit) entry.applied++;
    return hit;
  }

  snapshot(): LedgerSnapshot {
    return structuredClone(this.#counts);
  }
}

const FULL_WIDTH_OFFSET = 0xff10 - 0x30;

/** Digits and X/x in their full-width forms (０–９, Ｘ, ｘ), as pasted from Word or a CJK IME. */
export function toFullWidth(text: string): string {
  return text.replace(/[0-9Xx]/gu, (c) =>
    c === 'X' ? 'Ｘ' : c === 'x' ? 'ｘ' : String.fromCharCode(c.charCodeAt(0) + FULL_WIDTH_OFFSET));
}

function typo(rng: Rng, name: string): string | null {
  const chars = [...name];
  const positions = chars.map((c, i) => (TYPO_SUBSTITUTES.has(c) ? i : -1)).filter((i) => i >= 0);
  if (positions.length === 0) return null;
  // Given names are mistyped far more often than surnames: the surname is usually first.
  const pos = positions.length > 1 && rng.chance(0.8) ? rng.pick(positions.slice(1)) : rng.pick(positions);
  chars[pos] = rng.pick(TYPO_SUBSTITUTES.get(chars[pos] ?? '') ?? []);
  return chars.join('');
}

function wrongDigit(rng: Rng, id: string): string {
  const pos = rng.int(18);
  const old = id.charAt(pos);
  const choices = pos === 17 ? '0123456789X' : '0123456789';
  let c = old;
  while (c === old) c = choices.charAt(rng.int(choices.length));
  return id.slice(0, pos) + c + id.slice(pos + 1);
}

export interface ViewNeeds {
  /** Whether the record shows the name at all (a WeChat follower may not). */
  readonly name: boolean;
  readonly id: boolean;
  readonly phone: boolean;
  readonly org: boolean;
  /** Fields that may be left blank (one is, on fieldMissing); empty: not at risk. */
  readonly missable: readonly string[];
  readonly swappable: boolean;
  readonly duplicate: boolean;
}

export interface View {
  name: string;
  idNumber: string;
  phone: string;
  orgCode: string;
  missing: string | null;
  swapped: boolean;
  readonly noise: NoiseKind[];
}

/** One system's rendering of a person, noise applied per the rates. */
export function renderView(rng: Rng, ledger: NoiseLedger, system: SystemId, rates: SystemNoise, person: Person, needs: ViewNeeds): View {
  const noise: NoiseKind[] = [];
  const roll = (kind: NoiseKind) => {
    const hit = ledger.roll(system, kind, rates[kind], rng);
    if (hit) noise.push(kind);
    return hit;
  };
  if (needs.duplicate) noise.push('duplicate');
  let name = person.name;
  if (needs.name) {
    const typed = typo(rng, name);
    if (typed !== null && roll('nameTypo')) name = typed;
    if (toTraditional(name) !== name && roll('traditional')) name = toTraditional(name);
  }

  let idNumber = '';
  if (needs.id) {
    idNumber = person.idNumber;
    if (person.birthDate < '1982' && roll('idLegacy15')) idNumber = convert18to15(idNumber);
    else if (roll('idWrongDigit')) idNumber = wrongDigit(rng, idNumber);
    if (idNumber.length === 18 && idNumber.endsWith('X') && roll('idLowercaseX')) idNumber = `${idNumber.slice(0, 17)}x`;
  }
  let phone = '';
  if (needs.phone) {
    phone = person.phones[person.phones.length - 1] ?? '';
    if (person.phones.length > 1 && roll('phoneStale')) phone = person.phones[person.phones.length - 2] ?? phone;
  }
  if ((needs.id || needs.phone) && roll('fullWidth')) {
    idNumber = toFullWidth(idNumber);
    phone = toFullWidth(phone);
  }
  let orgCode = '';
  if (needs.org) {
    orgCode = person.orgCode;
    if (person.previousOrgCode !== null && roll('orgStale')) orgCode = person.previousOrgCode;
  }
  const missing = needs.missable.length > 0 && roll('fieldMissing') ? rng.pick(needs.missable) : null;
  const swapped = needs.swappable && roll('fieldSwap');
  return { name, idNumber, phone, orgCode, missing, swapped, noise };
}
