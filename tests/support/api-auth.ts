// The stewards the API tests act as: their tokens go into the hub's configuration
// (YIBIAO_API_TOKENS) and into each request's Authorization header.
export const STEWARD = { person: '李管理员', token: 'li-guanliyuan-test-token-0001' } as const;
export const OTHER_STEWARD = { person: '张管理员', token: 'zhang-guanliyuan-test-token-0002' } as const;

/** The YIBIAO_API_TOKENS value naming both. */
export const API_TOKENS = [STEWARD, OTHER_STEWARD].map((s) => `${s.person}:${s.token}`).join(',');

export function bearer(who: { token: string } = STEWARD): { authorization: string } {
  return { authorization: `Bearer ${who.token}` };
}
