// The people the API tests act as: their tokens go into the hub's configuration
// (YIBIAO_API_TOKENS) and into each request's Authorization header. The two stewards' entries
// name no role (steward by default, as before roles); the committee member's names `reader`.
import type { ApiRole } from '../../schemas/api-token-list.ts';

export const STEWARD = { person: '李管理员', token: 'li-guanliyuan-test-token-0001' } as const;
export const OTHER_STEWARD = { person: '张管理员', token: 'zhang-guanliyuan-test-token-0002' } as const;
export const READER = { person: '王委员', token: 'wang-weiyuan-test-token-0003', role: 'reader' } as const;

/** The YIBIAO_API_TOKENS value naming all three. */
export const API_TOKENS = [STEWARD, OTHER_STEWARD, READER].map((s: { person: string; token: string; role?: ApiRole }) => (s.role ? `${s.person}:${s.role}:${s.token}` : `${s.person}:${s.token}`)).join(',');

export function bearer(who: { token: string } = STEWARD): { authorization: string } {
  return { authorization: `Bearer ${who.token}` };
}
