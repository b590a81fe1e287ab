import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTokenList, readTokenFile, TokenFileError, TokenListError, tokenDigest } from '../../schemas/api-token-list.ts';

const T1 = 'aaaaaaaaaaaaaaaa1111';
const T2 = 'QUJDREVGR0hJSktMTU5PUA==';

function refusal(text: string): TokenListError {
  try {
    parseTokenList(text);
  } catch (err) {
    if (err instanceof TokenListError) return err;
    throw err;
  }
  throw new Error('accepted');
}

describe('API token list', () => {
  it('reads person:token entries separated by commas or lines, keeping only digests', () => {
    const holders = parseTokenList(`\uFEFF# stewards\n李管理员:${T1}, 张管理员 : ${T2}\n\n`);
    expect(holders.map((h) => h.person)).toEqual(['李管理员', '张管理员']);
    expect(holders[1]!.digest.equals(tokenDigest(T2))).toBe(true);
    expect(JSON.stringify(holders)).not.toContain(T1);
  });

  it('takes the token after the last colon, so a name may hold one', () => {
    expect(parseTokenList(`组织部: 李:${T1}`)[0]!.person).toBe('组织部: 李');
  });

  it.each([
    ['no colon', T1, 1, /person:token/],
    ['no person', `:${T1}`, 1, /person before the colon is empty/],
    ['a short token', `李:${T1},王:short-token`, 2, /王: the token is shorter than 16/],
    ['a character outside RFC 6750', `李:${T1}#x`, 1, /only letters, digits/],
    ['one token for two people', `李:${T1}\n王:${T1}`, 2, /王: the same token as 李 \(entry 1, line 1\)/],
  ])('refuses %s, naming the entry but never the token', (_what, text, entry, message) => {
    const err = refusal(text);
    expect(err.entry).toBe(entry);
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain(T1);
  });

  it('refuses a list with no entries', () => {
    expect(refusal(' , \n# only a comment\n').message).toMatch(/lists no token/);
  });

  it('reads a file of the same entries and names the line of a bad one', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'yibiao-tokens-')), 'tokens');
    writeFileSync(file, `# who may act\n李管理员:${T1}\n\n王:${T1.slice(0, 8)}\n`);
    expect(() => readTokenFile(file)).toThrow(TokenFileError);
    expect(() => readTokenFile(file)).toThrow(`${file} (row 4): 王: the token is shorter`);
    writeFileSync(file, `李管理员:${T1}\n张管理员:${T2}\n`);
    expect(readTokenFile(file).map((h) => h.person)).toEqual(['李管理员', '张管理员']);
    expect(() => readTokenFile(join(file, 'missing'))).toThrow(/cannot be read/);
  });
});
