// The member system's own vocabulary: export headers, change-feed row shape and the stream name.
import { MEMBER_SYSTEM_HEADERS, type MemberSystemRow } from '../population/system-types.ts';

export const SYSTEM = 'member-system' as const;
export const CONNECTOR_NAME = 'member-system';
export const MEMBERS_STREAM = 'members';
export const HEADERS = MEMBER_SYSTEM_HEADERS;
export type Header = (typeof MEMBER_SYSTEM_HEADERS)[number];

/**
 * 记录ID is not among them: the register's headers as the design page lists them have none, and an
 * export without it names each member by the ID number (mapping.ts recordIdOf).
 * Without these a row cannot be identified or says nothing the hub relies on this system for
 * (identity and political attributes); the rest may be absent from a customised export.
 */
export const REQUIRED_HEADERS: readonly Header[] = ['姓名', '公民身份证号码', '人员类别', '所在党支部', '入党日期', '转正日期', '党籍状态'];

export const OPERATIONS = ['新增', '修改', '删除'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** One item of the change feed: the export row plus when and how it last changed. */
export type ChangeItem = MemberSystemRow & { 修改时间: string; 操作类型: Operation };

/** A row as a file or the feed gives it: header → cell (text; a number for a date cell or an ID typed as a number). */
export type NativeRow = Readonly<Record<string, unknown>>;

/** The member system keeps local (Beijing) time without an offset. */
export const SYSTEM_OFFSET = '+08:00';

/**
 * Other names exports give the same columns (an older release, a province's customised template,
 * a clerk's own sheet); compared as schemas/header-columns.ts does. The register's own name wins
 * in a file that has both.
 */
export const HEADER_ALIASES: Readonly<Partial<Record<Header, readonly string[]>>> = {
  记录ID: ['人员ID', '党员ID', '党员编号', '人员编号'],
  公民身份证号码: ['身份证号码', '身份证号', '公民身份号码', '证件号码'],
  所在党支部: ['所在党组织', '党支部', '所属党支部', '所在支部', '党组织名称'],
  联系电话: ['手机号码', '手机号', '手机', '联系方式'],
  党籍状态: ['党籍'],
  是否失联党员: ['失联党员'],
  是否流动党员: ['流动党员'],
  工作岗位: ['岗位', '职务'],
  家庭住址: ['住址', '家庭地址'],
};
