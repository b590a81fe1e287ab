// e-cology's dev-auth exchange: `regist` hands the caller a secret (secrit) and the server's RSA
// public key (spk); `applytoken` takes the secret RSA-encrypted with spk and returns a token that
// later calls carry with `appid` and an RSA-encrypted `userid`. Tokens die after their lifetime.
import { constants, generateKeyPairSync, privateDecrypt, randomUUID, type KeyObject } from 'node:crypto';

/** e-cology's default token lifetime when `applytoken` is called without a `time` header. */
export const DEFAULT_TOKEN_SECONDS = 1800;

interface Token {
  readonly appid: string;
  readonly expiresAt: number;
}

export type TokenCheck = { ok: true } | { ok: false; msg: string };

export class DevAuth {
  readonly #appids: ReadonlySet<string>;
  readonly #lifetimeMs: number | undefined;
  readonly #privateKey: KeyObject;
  readonly spk: string;
  readonly #secrets = new Map<string, string>();
  readonly #tokens = new Map<string, Token>();
  /** Callers encrypt their userid once per token; decrypting it on every call would dominate. */
  readonly #userids = new Map<string, string | undefined>();
  tokensIssued = 0;

  constructor(appids: readonly string[], lifetimeMs: number | undefined) {
    this.#appids = new Set(appids);
    this.#lifetimeMs = lifetimeMs;
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    this.#privateKey = privateKey;
    this.spk = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  }

  /** The same appid registering again gets the same secret back, as on a real server. */
  regist(appid: string, cpk: string): { secrit: string } | { error: string } {
    if (!this.#appids.has(appid)) return { error: '许可证未授权或appid不正确' };
    if (cpk === '') return { error: 'cpk不能为空' };
    let secret = this.#secrets.get(appid);
    if (!secret) {
      secret = randomUUID();
      this.#secrets.set(appid, secret);
    }
    return { secrit: secret };
  }

  applyToken(appid: string, encryptedSecret: string, seconds: number, now: number): { token: string } | { error: string } {
    const secret = this.#secrets.get(appid);
    if (!secret) return { error: 'appid未注册，请先调用regist' };
    if (this.#decrypt(encryptedSecret) !== secret) return { error: 'secret认证失败' };
    const ms = Math.min(seconds * 1000, this.#lifetimeMs ?? Number.POSITIVE_INFINITY);
    const token = randomUUID();
    this.#tokens.set(token, { appid, expiresAt: now + ms });
    this.tokensIssued++;
    return { token };
  }

  check(appid: string, token: string, encryptedUserid: string, now: number): TokenCheck {
    const t = this.#tokens.get(token);
    if (!t || t.appid !== appid || t.expiresAt <= now) {
      if (t) this.#tokens.delete(token);
      return { ok: false, msg: `token不存在或者超时：${token}` };
    }
    if (!this.#userids.has(encryptedUserid)) {
      if (this.#userids.size >= 10_000) this.#userids.clear();
      this.#userids.set(encryptedUserid, this.#decrypt(encryptedUserid));
    }
    const userid = this.#userids.get(encryptedUserid);
    if (userid === undefined || !/^[1-9]\d*$/.test(userid)) return { ok: false, msg: 'userid解密失败或不存在' };
    return { ok: true };
  }

  #decrypt(base64: string): string | undefined {
    try {
      return privateDecrypt({ key: this.#privateKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(base64, 'base64')).toString('utf8');
    } catch {
      return undefined;
    }
  }
}
