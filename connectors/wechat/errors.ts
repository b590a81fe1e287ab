// A WeChat errcode that retrying cannot fix (bad appid/secret, invalid openid, …): the run fails
// with WeChat's own code and message so the operator can look it up.
import { NonRetriableError } from '../../schemas/errors.ts';

export class WechatApiError extends NonRetriableError {
  readonly errcode: number;
  readonly errmsg: string;
  constructor(what: string, errcode: number, errmsg: string) {
    super(`wechat ${what}: errcode ${errcode}: ${errmsg}`, { rule: `wechat errcode ${errcode}` });
    this.errcode = errcode;
    this.errmsg = errmsg;
  }
}
