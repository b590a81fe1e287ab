// The token file read again while the hub runs (services/api/token-file-watch.ts, through
// bearerTokens): an edit holds from the next look on, an unusable file keeps the last good list
// and says so once, and the log names persons, never tokens.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTokenFile, tokenDigest } from '../../schemas/api-token-list.ts';
import { bearerTokens } from '../../services/api/bearer-tokens.ts';

const LI = 'li-guanliyuan-file-token-0001';
const WANG = 'wang-weiyuan-file-token-0002';
const ZHANG = 'zhang-guanliyuan-file-token-0003';

function logged() {
  const lines: Array<{ level: 'info' | 'error'; msg: string; obj: unknown }> = [];
  const at = (level: 'info' | 'error') => (obj: unknown, msg?: string) => void lines.push({ level, msg: msg ?? '', obj });
  return { lines, logger: { info: at('info'), error: at('error') } as never };
}

function tokensFrom(text: string, recheckMs = 0) {
  const file = join(mkdtempSync(join(tmpdir(), 'yibiao-token-watch-')), 'tokens');
  writeFileSync(file, text);
  const log = logged();
  const tokens = bearerTokens({ YIBIAO_API_TOKENS_FILE: { file, holders: readTokenFile(file) } }, { logger: log.logger, recheckMs });
  return { file, tokens, log };
}

describe('API token file read again while running', () => {
  it('takes a token away and adds one from the next look on, and logs who changed', () => {
    const { file, tokens, log } = tokensFrom(`李管理员:${LI}\n王委员:reader:${WANG}\n`);
    expect(tokens.holder(LI)).toEqual({ person: '李管理员', role: 'steward' });
    expect(tokens.holder(ZHANG)).toBeNull();
    writeFileSync(file, `# 李管理员 left\n王委员:reader:${WANG}\n张管理员:{sha256}${tokenDigest(ZHANG).toString('hex')}\n`);
    expect(tokens.holder(LI)).toBeNull();
    expect(tokens.holder(ZHANG)).toEqual({ person: '张管理员', role: 'steward' });
    expect(tokens.holder(WANG)).toEqual({ person: '王委员', role: 'reader' });
    const info = log.lines.filter((l) => l.level === 'info');
    expect(info).toHaveLength(1);
    expect(info[0]!.obj).toMatchObject({ entries: 2, added: ['张管理员 (steward)'], removed: ['李管理员 (steward)'] });
    expect(JSON.stringify(log.lines)).not.toContain(LI);
  });

  it('keeps the last good list while the file is unusable, says why once, and takes the file up again when it is mended', () => {
    const { file, tokens, log } = tokensFrom(`李管理员:${LI}\n`);
    writeFileSync(file, `李管理员:${LI}\n王委员:auditor:${WANG}\n`);
    expect(tokens.holder(LI)).toEqual({ person: '李管理员', role: 'steward' });
    expect(tokens.holder(LI)).not.toBeNull();
    rmSync(file);
    expect(tokens.holder(LI)).not.toBeNull();
    const errors = log.lines.filter((l) => l.level === 'error');
    expect(errors.map((e) => e.msg)).toEqual([
      expect.stringMatching(/previous list stays in force: .*\(row 2\): 王委员: unknown role "auditor"/u),
      expect.stringMatching(/previous list stays in force: .*cannot be read/u),
    ]);
    writeFileSync(file, `王委员:reader:${WANG}\n`);
    expect(tokens.holder(LI)).toBeNull();
    expect(tokens.holder(WANG)).toEqual({ person: '王委员', role: 'reader' });
    expect(JSON.stringify(log.lines)).not.toContain(WANG);
  });

  it('knows a token past its last day as expired, from the first moment after that day in Beijing time', () => {
    const { tokens } = tokensFrom(`审计组:reader:${ZHANG} until 2027-06-30\n`, 60_000);
    expect(tokens.holder(ZHANG, new Date('2027-06-30T15:59:59.999Z'))).toEqual({ person: '审计组', role: 'reader' });
    expect(tokens.holder(ZHANG, new Date('2027-06-30T16:00:00.000Z'))).toEqual({ person: '审计组', role: 'reader', expiredAfter: '2027-06-30' });
  });

  it('looks at the file at most once per interval', () => {
    const { file, tokens } = tokensFrom(`李管理员:${LI}\n`, 60_000);
    writeFileSync(file, `王委员:reader:${WANG}\n`);
    // Within the interval the list read at start holds.
    expect(tokens.holder(LI)).not.toBeNull();
    expect(tokens.holder(WANG)).toBeNull();
  });
});
