// One system's view of one person at one time. Raw values as the system holds them: the
// reconciler normalises; connectors only map field names and reject what cannot be a record.
import { z } from 'zod';
import { envelope } from './envelope.ts';

const text = z.string().trim().min(1).max(200);
const isoDate = z.iso.date();

export const memberObservedPayload = z.object({
  name: text,
  idNumber: z.string().max(32).optional(),
  gender: z.enum(['男', '女']).optional(),
  birthDate: isoDate.optional(),
  ethnicity: text.optional(),
  education: text.optional(),
  category: z.enum(['正式党员', '预备党员']).optional(),
  /** The org as the source names it; org reconciliation maps it to an org code. */
  orgName: text.optional(),
  /**
   * The host unit (单位) the person works in or the org belongs to, when the source names it apart
   * from the org (the OA's subcompanyname: 东湖区审计局 next to the department 办公室).
   */
  orgUnit: text.optional(),
  joinedAt: isoDate.optional(),
  fullMemberAt: isoDate.optional(),
  status: text.optional(),
  lostContact: z.boolean().optional(),
  floating: z.boolean().optional(),
  phone: z.string().max(32).optional(),
  /**
   * The last digits of a phone when the source shows no more (a WeChat remark's 王伟 8821): not a
   * phone number, but evidence once the rest of the record agrees.
   */
  phoneTail: z.string().max(8).optional(),
  address: z.string().max(400).optional(),
  jobTitle: text.optional(),
  accounts: z
    .array(z.object({ kind: z.enum(['wechat-openid', 'wechat-unionid', 'xapi-account', 'oa-login']), value: text }))
    .default([]),
  /** Set when the source says the record was deleted or the person left the system. */
  deleted: z.boolean().default(false),
});

export const memberObserved = envelope('member.observed', 1, memberObservedPayload);
export type MemberObserved = z.infer<typeof memberObserved>;
