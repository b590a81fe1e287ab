import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../schemas/config.ts';
import { thrown } from '../support/thrown.ts';

describe('configuration', () => {
  it('defaults to the embedded mode on port 3000', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.KAFKA_BROKERS).toBeUndefined();
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.YIBIAO_DATA_DIR).toBe('./.yibiao');
  });

  it('runs the repair scan nightly unless told otherwise; off leaves it to demand', () => {
    expect(loadConfig({}).YIBIAO_REPAIR_SCAN_CRON).toBe('30 3 * * *');
    expect(loadConfig({ YIBIAO_REPAIR_SCAN_CRON: 'off' }).YIBIAO_REPAIR_SCAN_CRON).toBeNull();
    expect(loadConfig({ YIBIAO_REPAIR_SCAN_CRON: '0 */6 * * *' }).YIBIAO_REPAIR_SCAN_CRON).toBe('0 */6 * * *');
    expect(loadConfig({}).YIBIAO_REESTIMATE_GROWTH).toBe(2);
    expect(loadConfig({ YIBIAO_REESTIMATE_GROWTH: '1.5' }).YIBIAO_REESTIMATE_GROWTH).toBe(1.5);
    expect(loadConfig({ YIBIAO_REESTIMATE_GROWTH: 'off' }).YIBIAO_REESTIMATE_GROWTH).toBe(Number.POSITIVE_INFINITY);
    // Counting the names over the masters costs precision at 250k persons: asked for, not assumed.
    expect(loadConfig({}).YIBIAO_TF_OVER_MASTERS).toBe('off');
    expect(loadConfig({ YIBIAO_TF_OVER_MASTERS: 'on' }).YIBIAO_TF_OVER_MASTERS).toBe('on');
  });

  it('parses a broker list and a database URL', () => {
    const c = loadConfig({ KAFKA_BROKERS: 'a:9092, b.example:19092', DATABASE_URL: 'postgres://u@h:5432/db', PORT: '8080' });
    expect(c.KAFKA_BROKERS).toEqual(['a:9092', 'b.example:19092']);
    expect(c.PORT).toBe(8080);
  });

  it.each([
    ['KAFKA_BROKERS', 'not a url', /host:port/],
    ['KAFKA_BROKERS', 'a:99999', /≤ 65535/],
    ['DATABASE_URL', 'mysql://x@y/z', /postgres:\/\//],
    ['PORT', 'eighty', /number/],
    ['LOG_LEVEL', 'loud', /fatal|info/],
    ['YIBIAO_REPAIR_SCAN_CRON', 'nightly', /cron expression/],
    ['YIBIAO_REPAIR_SCAN_CRON', '61 3 * * *', /not a valid cron expression/],
    ['YIBIAO_WECHAT_CRON', '*/10 25 * * *', /not a valid cron expression/],
    ['YIBIAO_REESTIMATE_GROWTH', 'often', /from 1\.1 to 1000.*or off/],
    ['YIBIAO_REESTIMATE_GROWTH', '1', /from 1\.1 to 1000, or off/],
    ['YIBIAO_TF_OVER_MASTERS', 'yes', /on|off/],
  ])('refuses %s=%j and names the variable', (variable, value, rule) => {
    let caught: unknown;
    try {
      loadConfig({ [variable]: value });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const e = caught as ConfigError;
    expect(e.issues.map((i) => i.variable)).toEqual([variable]);
    expect(e.message).toContain(variable);
    expect(e.issues[0]?.message).toMatch(rule);
    expect(e.message).toContain(JSON.stringify(value));
  });

  it('reads the API tokens from the variable or a file, and refuses both at once', () => {
    const token = 'aaaaaaaaaaaaaaaa1111';
    expect(loadConfig({}).YIBIAO_API_TOKENS).toBeUndefined();
    expect(loadConfig({ YIBIAO_API_TOKENS: `李管理员:${token}` }).YIBIAO_API_TOKENS?.map((h) => h.person)).toEqual(['李管理员']);
    const file = join(mkdtempSync(join(tmpdir(), 'yibiao-config-')), 'tokens');
    writeFileSync(file, `张管理员:${token}\n`);
    expect(loadConfig({ YIBIAO_API_TOKENS_FILE: file }).YIBIAO_API_TOKENS_FILE?.holders.map((h) => h.person)).toEqual(['张管理员']);
    expect(() => loadConfig({ YIBIAO_API_TOKENS: `李管理员:${token}`, YIBIAO_API_TOKENS_FILE: file })).toThrow(/YIBIAO_API_TOKENS_FILE: set either YIBIAO_API_TOKENS or YIBIAO_API_TOKENS_FILE, not both/);
  });

  it('names YIBIAO_API_TOKENS and the entry when a token is unusable, without echoing the value', () => {
    const value = '李管理员:aaaaaaaaaaaaaaaa1111,王:tooshort';
    let caught: unknown;
    try {
      loadConfig({ YIBIAO_API_TOKENS: value });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const e = caught as ConfigError;
    expect(e.issues).toEqual([{ variable: 'YIBIAO_API_TOKENS', message: 'entry 2: 王: the token is shorter than 16 characters (make one with: openssl rand -base64 32)' }]);
    expect(e.message).not.toContain('tooshort');
    expect(e.message).not.toContain('aaaaaaaaaaaaaaaa1111');
  });

  it('keeps the role of each token, and stops start-up on an unknown role naming the variable and the entry', () => {
    const [t1, t2] = ['aaaaaaaaaaaaaaaa1111', 'bbbbbbbbbbbbbbbb2222'];
    expect(loadConfig({ YIBIAO_API_TOKENS: `李管理员:${t1},王委员:reader:${t2}` }).YIBIAO_API_TOKENS?.map((h) => [h.person, h.role])).toEqual([['李管理员', 'steward'], ['王委员', 'reader']]);
    const refused = (env: Record<string, string>) => thrown(() => loadConfig(env), ConfigError);
    const e = refused({ YIBIAO_API_TOKENS: `李管理员:${t1},王委员:admin:${t2}` });
    expect(e.issues).toEqual([{ variable: 'YIBIAO_API_TOKENS', message: 'entry 2: 王委员: unknown role "admin"; expected reader or steward as person:role:token (a name holding a colon needs its role written out)' }]);
    expect(e.message).toContain('YIBIAO_API_TOKENS: entry 2: 王委员: unknown role "admin"');
    expect(e.message).not.toContain(t2);
    const file = join(mkdtempSync(join(tmpdir(), 'yibiao-config-')), 'tokens');
    writeFileSync(file, `# committee\n王委员:readers:${t2}\n`);
    const f = refused({ YIBIAO_API_TOKENS_FILE: file });
    expect(f.issues).toEqual([{ variable: 'YIBIAO_API_TOKENS_FILE', message: `${file} (row 2): 王委员: unknown role "readers"; expected reader or steward as person:role:token (a name holding a colon needs its role written out) (got ${JSON.stringify(file)})` }]);
    expect(f.message).not.toContain(t2);
  });
});
