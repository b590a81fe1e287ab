// The ground truth: the org tree and the real people behind every source record.
import type { OrgCategory } from './tables/org-names.ts';

/** Source systems, spelled as in the canonical event envelope (schemas/events/envelope.ts). */
export const SYSTEMS = ['member-system', 'wechat', 'xapi', 'oa'] as const;
export type SystemId = (typeof SYSTEMS)[number];

export type OrgLevel = '党委' | '党总支' | '党支部';

export interface Org {
  /** 12 digits: district region code (6) + committee (2) + general branch (2) + branch (2). */
  readonly code: string;
  readonly level: OrgLevel;
  readonly parentCode: string | null;
  /** The official name, as on the seal: 中共南昌市东湖区交通运输局机关第一支部委员会. */
  readonly name: string;
  /** What each system calls it; systems abbreviate differently and some names are ambiguous. */
  readonly names: Readonly<Record<SystemId, string>>;
  /** What members call it among themselves (一支部, 机关支部, 交通局党委); ambiguous across the tree. */
  readonly alias: string;
  readonly category: OrgCategory;
  /** Host unit, e.g. 东湖区交通运输局. */
  readonly unit: string;
  /** Department the branch is named after (branches only; '' above). */
  readonly stem: string;
}

export type Gender = '男' | '女';
export type MemberCategory = '正式党员' | '预备党员';
export type PartyStatus = '正常' | '停止党籍';

export interface Person {
  /** P0000001 …; stable per seed. */
  readonly id: string;
  readonly name: string;
  readonly surname: string;
  /** Pinyin of the whole name, lower-case without tones (wangwei), for OA logins. */
  readonly pinyin: string;
  readonly gender: Gender;
  readonly birthDate: string;
  /** Always a valid 18-digit number with upper-case X; only source records are noisy. */
  readonly idNumber: string;
  readonly regionCode: string;
  readonly ethnicity: string;
  readonly education: string;
  readonly category: MemberCategory;
  readonly joinedAt: string;
  /** One year after joinedAt for full members; null for probationary members. */
  readonly fullMemberAt: string | null;
  readonly status: PartyStatus;
  readonly lostContact: boolean;
  readonly floating: boolean;
  /** Every number the person has used, oldest first; the last is current. */
  readonly phones: readonly string[];
  /** When the current number replaced the previous one (null if never changed). */
  readonly phoneChangedAt: string | null;
  readonly address: string;
  /** 工作岗位 category as the member system records it. */
  readonly jobCategory: string;
  /** Title as the employer's OA shows it ('' for retired members). */
  readonly jobTitle: string;
  readonly retired: boolean;
  readonly orgCode: string;
  /** Branch before an 组织关系转接 within the population, and when it happened. */
  readonly previousOrgCode: string | null;
  readonly transferredAt: string | null;
  readonly role: '书记' | '组织委员' | null;
  /** Set on a deliberately injected hard negative: the person it was made to resemble. */
  readonly resembles: { readonly personId: string; readonly how: 'same-name-birth' | 'twin' } | null;
}

/** Someone in WeChat or OA who is not a party member: every such record is a non-match. */
export interface Outsider {
  /** N0000001 … */
  readonly id: string;
  readonly name: string;
  readonly pinyin: string;
  readonly gender: Gender;
  readonly birthDate: string;
  readonly phone: string;
}
