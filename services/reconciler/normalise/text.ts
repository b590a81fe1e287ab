// Shared text clean-up for every Chinese text field: the sources mix full-width forms, traditional
// characters and stray separators, and none of that tells two people apart.
import * as OpenCC from 'opencc-js/t2cn';

// opencc-js 1.4's .d.ts imports './core' without an extension, which nodenext resolution cannot
// follow, so its types arrive as errors; we state the one signature we use.
type ConverterFn = (options: { from: string; to: string }) => (text: string) => string;
const converter = (OpenCC as unknown as { Converter: ConverterFn }).Converter;

// 't' → 'cn' is OpenCC's character-level conversion; we compare names and org names, where
// phrase-level regional vocabulary conversion (tw/hk idioms) would only add surprises.
const toCn = converter({ from: 't', to: 'cn' });

/** NFKC, then drop whitespace, punctuation and symbols (incl. the 间隔号 · in minority names). */
export function cleanText(raw: string): string {
  return raw.normalize('NFKC').replace(/[\s\p{P}\p{S}]/gu, '');
}

export function toSimplified(text: string): string {
  return toCn(text);
}

/** cleanText + traditional→simplified: the comparable form of a Chinese string. */
export function simplify(raw: string): string {
  return toSimplified(cleanText(raw));
}

const CJK = /\p{Script=Han}/u;
export function hasHan(text: string): boolean {
  return CJK.test(text);
}
