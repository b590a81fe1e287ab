// How fast the simulators themselves serve: plain HTTP calls, the same request pattern as the
// connectors (sequential pages), JSON parsed, nothing mapped or published.
const json = async <T>(res: Response): Promise<T> => {
  if (!res.ok) throw new Error(`HTTP ${res.status} from ${res.url}`);
  return (await res.json()) as T;
};

export async function rawWechat(base: string, appid: string, secret: string): Promise<number> {
  const { access_token: token } = await json<{ access_token: string }>(await fetch(`${base}/cgi-bin/token?grant_type=client_credential&appid=${appid}&secret=${secret}`));
  let next = '';
  let records = 0;
  for (;;) {
    const page = await json<{ count: number; data?: { openid: string[] }; next_openid: string }>(await fetch(`${base}/cgi-bin/user/get?access_token=${token}&next_openid=${next}`));
    const openids = page.data?.openid ?? [];
    if (page.count === 0 || openids.length === 0) break;
    for (let i = 0; i < openids.length; i += 100) {
      const body = JSON.stringify({ user_list: openids.slice(i, i + 100).map((openid) => ({ openid, lang: 'zh_CN' })) });
      const r = await json<{ user_info_list: unknown[] }>(await fetch(`${base}/cgi-bin/user/info/batchget?access_token=${token}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } }));
      records += r.user_info_list.length;
    }
    next = page.next_openid;
    if (!next) break;
  }
  return records;
}

export async function rawXapi(base: string, key: string, secret: string): Promise<number> {
  const headers = { 'X-Experience-API-Version': '1.0.3', authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}` };
  let url = `${base}/xapi/statements?limit=500&ascending=true`;
  let records = 0;
  for (;;) {
    const page = await json<{ statements: unknown[]; more: string }>(await fetch(url, { headers }));
    records += page.statements.length;
    if (!page.more) break;
    url = new URL(page.more, base).toString();
  }
  return records;
}
