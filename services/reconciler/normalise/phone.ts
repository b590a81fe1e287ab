// Phone numbers: mainland mobiles are 11 digits starting with 1. Sources add +86/0086, spaces and
// dashes, or (WeChat remarks) keep only the last four digits, which we keep as a weaker token.

export interface NormalisedPhone {
  readonly phone: string | null;
  /** Last four digits: of the full number, or the whole value when only four were given. */
  readonly tail: string | null;
}

export function normalisePhone(raw: string | undefined | null, tail?: string | null): NormalisedPhone {
  const full = normaliseFull(raw);
  if (full.phone !== null || full.tail !== null || tail == null) return full;
  // A tail stated apart (the source shows only the last digits): its last four digits.
  const d = tail.normalize('NFKC').replace(/\D/gu, '');
  return { phone: null, tail: d.length >= 4 ? d.slice(-4) : null };
}

function normaliseFull(raw: string | undefined | null): NormalisedPhone {
  if (raw == null) return { phone: null, tail: null };
  let d = raw.normalize('NFKC').replace(/\D/gu, '');
  if (d.length === 4) return { phone: null, tail: d };
  if (d.startsWith('0086')) d = d.slice(4);
  else if (d.length === 13 && d.startsWith('86')) d = d.slice(2);
  if (/^1[3-9]\d{9}$/u.test(d)) return { phone: d, tail: d.slice(-4) };
  return { phone: null, tail: null };
}
