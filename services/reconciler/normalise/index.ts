// One member.observed payload (raw source values) → the comparable record the matcher works on.
// Normalisation lives here, not in connectors, so an improved normaliser can replay old events.
import type { z } from 'zod';
import type { memberObservedPayload } from '../../../schemas/events/member-observed.ts';
import { normaliseDate } from './date.ts';
import { normaliseId } from './id-number.ts';
import { normaliseName } from './name.ts';
import { normaliseOrg } from './org.ts';
import { normalisePhone } from './phone.ts';

/** The payload as a source produced it (input type: defaults may still be absent). */
export type ObservationPayload = z.input<typeof memberObservedPayload>;

export interface NormalisedRecord {
  /** Caller's reference for the record, e.g. `${system}:${recordId}`. */
  readonly ref: string;
  /** The source system: the ref up to its first ':' or '/' (null when it has neither). */
  readonly system: string | null;
  readonly name: string | null;
  readonly pinyin: string | null;
  readonly nameKey: string | null;
  /** A name in letters that may be given name first: the key read the other way round (name.ts keyAlt). */
  readonly nameKeyAlt?: string | null;
  /** Valid canonical ID number; null when absent or invalid. */
  readonly idNumber: string | null;
  /** 18 characters of a present number, valid or not (for the one-wrong-digit comparison). */
  readonly idDigits: string | null;
  readonly idInvalid: boolean;
  /** The number was typed in its 15-digit form: valid after conversion, but its check was not typed. */
  readonly idLegacy: boolean;
  /** Stated birth date, else the one a valid ID number encodes. */
  readonly birthDate: string | null;
  readonly gender: '男' | '女' | null;
  /** The stated birth date or gender contradicts the valid ID number (a data-quality flag). */
  readonly idConflict: boolean;
  readonly phone: string | null;
  readonly phoneTail: string | null;
  readonly orgCore: string | null;
  readonly orgStem: string | null;
  /** The host unit named apart from the org (OA subcompanyname), in the org core's form. */
  readonly orgUnit: string | null;
  /** `${kind}:${value}` — system accounts, each identifying exactly one person. */
  readonly accounts: readonly string[];
}

export function normaliseObservation(p: ObservationPayload, ref = ''): NormalisedRecord {
  const name = normaliseName(p.name);
  const id = normaliseId(p.idNumber);
  const stated = normaliseDate(p.birthDate);
  const phone = normalisePhone(p.phone, p.phoneTail);
  const org = normaliseOrg(p.orgName);
  const idConflict = id.valid !== null
    && ((stated !== null && stated !== id.birthDate) || (p.gender !== undefined && p.gender !== id.gender));
  const sep = /[:/]/u.exec(ref);
  return {
    ref,
    system: sep === null || sep.index === 0 ? null : ref.slice(0, sep.index),
    name: name.name,
    pinyin: name.pinyin,
    nameKey: name.key,
    nameKeyAlt: name.key === null ? null : name.keyAlt,
    idNumber: id.valid,
    idDigits: id.digits,
    idInvalid: id.digits !== null && id.valid === null,
    idLegacy: id.legacy,
    // A valid number is checked at issue; a stated date was typed by someone. Prefer the number —
    // unless it was typed in its 15-digit form, which has no check character to catch a typo.
    birthDate: id.legacy ? stated ?? id.birthDate : id.birthDate ?? stated,
    gender: id.gender ?? p.gender ?? null,
    idConflict,
    phone: phone.phone,
    phoneTail: phone.tail,
    orgCore: org.core,
    orgStem: org.stem,
    orgUnit: normaliseOrg(p.orgUnit).core,
    accounts: (p.accounts ?? []).map((a) => `${a.kind}:${a.value}`),
  };
}

export { normaliseName } from './name.ts';
export { normaliseId, hamming, oneIdTypo, oneKeystroke } from './id-number.ts';
export { normalisePhone } from './phone.ts';
export { normaliseOrg, orgCore, isSuffixOf, stemOf } from './org.ts';
export { normaliseDate, daysBetween } from './date.ts';
