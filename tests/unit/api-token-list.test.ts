import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTokenList, readTokenFile, TokenFileError, TokenListError, tokenDigest } from '../../schemas/api-token-list.ts';
import { thrown } from '../support/thrown.ts';

const T1 = 'aaaaaaaaaaaaaaaa1111';
const T2 = 'QUJDREVGR0hJSktMTU5PUA==';

const refusal = (text: string): TokenListError => thrown(() => parseTokenList(text), TokenListError);

describe('API token list', () => {
  it('reads person:token entries separated by commas or lines, keeping only digests', () => {
    const holders = parseTokenList(`\uFEFF# stewards\n李管理员:${T1}, 张管理员 : ${T2}\n\n`);
    expect(holders.map((h) => h.person)).toEqual(['李管理员', '张管理员']);
    // No role named: a steward, as every token was before roles.
    expect(holders.map((h) => h.role)).toEqual(['steward', 'steward']);
    expect(holders[1]!.digest.equals(tokenDigest(T2))).toBe(true);
    expect(JSON.stringify(holders)).not.toContain(T1);
  });

  it('reads person:role:token entries, reader or steward', () => {
    const holders = parseTokenList(`王委员:reader:${T1}\n李管理员 : steward : ${T2}`);
    expect(holders.map(({ person, role }) => ({ person, role }))).toEqual([{ person: '王委员', role: 'reader' }, { person: '李管理员', role: 'steward' }]);
    expect(holders[0]!.digest.equals(tokenDigest(T1))).toBe(true);
  });

  it('takes the token after the last colon and the role before it, so a name may hold a colon when its role is written out', () => {
    expect(parseTokenList(`组织部: 李:reader:${T1}`).map(({ person, role }) => ({ person, role }))).toEqual([{ person: '组织部: 李', role: 'reader' }]);
    // Without the role, the name's last part would be taken for one: refused, never granted.
    expect(refusal(`组织部: 李:${T1}`).message).toMatch(/^组织部: unknown role "李"; expected reader or steward as person:role:token \(a name holding a colon needs its role written out\)$/u);
  });

  it.each([
    ['no colon', T1, 1, /person:token/],
    ['no person', `:${T1}`, 1, /person before the colon is empty/],
    ['a short token', `李:${T1},王:short-token`, 2, /王: the token is shorter than 16/],
    ['a character outside RFC 6750', `李:${T1}#x`, 1, /only letters, digits/],
    ['one token for two people', `李:${T1}\n王:${T1}`, 2, /王: the same token as 李 \(entry 1, line 1\)/],
    ['an unknown role', `李:${T1}\n王委员:admin:${T2}`, 2, /^王委员: unknown role "admin"; expected reader or steward/],
    ['a role in capitals', `王委员:Reader:${T1}`, 1, /unknown role "Reader"/],
    ['an empty role', `王委员::${T1}`, 1, /unknown role ""/],
    ['a token where the role goes', `王委员:${T1}:${T2}`, 1, /unknown role \(20 characters, not shown\)/],
  ])('refuses %s, naming the entry but never the token', (_what, text, entry, message) => {
    const err = refusal(text);
    expect(err.entry).toBe(entry);
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain(T1);
    expect(err.message).not.toContain(T2);
  });

  it('reads an entry that gives the token\'s SHA-256 instead of the token: the list then holds nothing a request could use', () => {
    const hex = tokenDigest(T2).toString('hex');
    const holders = parseTokenList(`李管理员:${T1}\n王委员:reader:{sha256}${hex}\n张管理员:{sha256}${tokenDigest(`${T1}x`).toString('hex').toUpperCase()}`);
    expect(holders.map(({ person, role }) => ({ person, role }))).toEqual([{ person: '李管理员', role: 'steward' }, { person: '王委员', role: 'reader' }, { person: '张管理员', role: 'steward' }]);
    expect(holders[1]!.digest.equals(tokenDigest(T2))).toBe(true);
    // Upper-case hex is the same digest.
    expect(holders[2]!.digest.equals(tokenDigest(`${T1}x`))).toBe(true);
    // A digest and a plain token that hash alike are one token for two people.
    expect(refusal(`李管理员:${T2}\n王委员:reader:{sha256}${hex}`).message).toMatch(/^王委员: the same token as 李管理员 \(entry 1, line 1\)/u);
    for (const bad of [hex.slice(1), `${hex}0`, `${hex.slice(1)}g`, '']) {
      const err = refusal(`王委员:reader:{sha256}${bad}`);
      expect(err.message).toMatch(/^王委员: after \{sha256\} expected the token's SHA-256 as 64 hex digits/u);
    }
  });

  it('reads `until YYYY-MM-DD` after the token: the token works through that day, Beijing time', () => {
    const hex = tokenDigest(T2).toString('hex');
    const holders = parseTokenList(`审计组:reader:${T1} until 2027-06-30\n李管理员:{sha256}${hex}   until   2026-12-31  \n张管理员:${T1}x`);
    expect(holders.map(({ person, until }) => ({ person, until }))).toEqual([
      { person: '审计组', until: '2027-06-30' }, { person: '李管理员', until: '2026-12-31' }, { person: '张管理员', until: undefined },
    ]);
    // The end of 30 June in UTC+8 is 16:00 UTC that day.
    expect(holders[0]!.expiresAt!.toISOString()).toBe('2027-06-30T16:00:00.000Z');
    expect(holders[1]!.expiresAt!.toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(holders[0]!.digest.equals(tokenDigest(T1))).toBe(true);
    expect(holders[2]!.expiresAt).toBeUndefined();
    for (const bad of ['2027-02-30', '2027-6-30', '30.06.2027', '']) {
      expect(refusal(`审计组:reader:${T1} until ${bad}`).message).toBe(`审计组: after "until" expected the token's last day as YYYY-MM-DD (e.g. until 2027-06-30), got "${bad}"`);
    }
    // A token written where the day goes is not echoed.
    const misplaced = refusal(`审计组:reader:${T1} until ${T2}`).message;
    expect(misplaced).toMatch(/got \(24 characters, not shown\)$/u);
    expect(misplaced).not.toContain(T2);
  });

  it('refuses a list with no entries', () => {
    expect(refusal(' , \n# only a comment\n').message).toMatch(/lists no token/);
  });

  it('reads a file of the same entries and names the line of a bad one', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'yibiao-tokens-')), 'tokens');
    writeFileSync(file, `# who may act\n李管理员:${T1}\n\n王:${T1.slice(0, 8)}\n`);
    expect(() => readTokenFile(file)).toThrow(TokenFileError);
    expect(() => readTokenFile(file)).toThrow(`${file} (row 4): 王: the token is shorter`);
    writeFileSync(file, `李管理员:${T1}\n王委员:reader:${T1.slice(0, 8)}\n`);
    expect(() => readTokenFile(file)).toThrow(`${file} (row 2): 王委员: the token is shorter`);
    writeFileSync(file, `李管理员:${T1}\n王委员:auditor:${T2}\n`);
    expect(() => readTokenFile(file)).toThrow(`${file} (row 2): 王委员: unknown role "auditor"`);
    writeFileSync(file, `李管理员:${T1}\n张管理员:${T2}\n`);
    expect(readTokenFile(file).map((h) => h.person)).toEqual(['李管理员', '张管理员']);
    expect(() => readTokenFile(join(file, 'missing'))).toThrow(/cannot be read/);
  });
});
