// What each system's tasks ask branches for, in field keys taken from the reporting items
// (shared/notes/reporting-items.md) and named like the canonical events (member.observed,
// activity.recorded, dues.paid, study.recorded). The overlaps are the point: the same meeting,
// member fields and dues months are asked for by two or three systems.
import type { SystemId } from '../types.ts';

/** The 16 member items of the 信息采集 (canonical member record field names). */
export const MEMBER_FIELDS = [
  'member.name', 'member.gender', 'member.idNumber', 'member.ethnicity', 'member.birthDate', 'member.education',
  'member.category', 'member.orgCode', 'member.joinedAt', 'member.fullMemberAt', 'member.jobTitle', 'member.phone',
  'member.address', 'member.status', 'member.lostContact', 'member.floating',
] as const;

/** A 三会一课 / 主题党日 record. */
export const MEETING_FIELDS = [
  'meeting.kind', 'meeting.topic', 'meeting.heldOn', 'meeting.time', 'meeting.place', 'meeting.host', 'meeting.recorder',
  'meeting.expected', 'meeting.present', 'meeting.attendees', 'meeting.absentees', 'meeting.content', 'meeting.resolution',
  'meeting.photos', 'meeting.signIn',
] as const;

export const DUES_FIELDS = [
  'dues.month', 'dues.base', 'dues.due', 'dues.paid', 'dues.method', 'dues.paidOn', 'dues.late', 'dues.paidUpTo',
] as const;

export const STATS_FIELDS = [
  'stats.total', 'stats.women', 'stats.minorities', 'stats.age35AndUnder', 'stats.collegeAndAbove', 'stats.newMembers',
  'stats.probationary',
] as const;

export const STUDY_FIELDS = ['study.minutes', 'study.courses', 'study.completed', 'study.lectureAttendance'] as const;

export interface TaskTemplate {
  readonly key: string;
  readonly system: SystemId;
  /** `{period}` is replaced by 2025年第二季度 and the like. */
  readonly title: string;
  readonly fields: readonly string[];
  /** Probability that a committee issues it through this system in a given quarter. */
  readonly issueRate: number;
}

const pick = <T extends string>(all: readonly T[], ...names: string[]): T[] =>
  names.map((n) => {
    const found = all.find((f) => f.endsWith(`.${n}`));
    if (!found) throw new Error(`no field ${n}`);
    return found;
  });

export const TASK_TEMPLATES: readonly TaskTemplate[] = [
  { key: 'oa-meetings', system: 'oa', title: '关于报送{period}“三会一课”开展情况的通知', fields: MEETING_FIELDS, issueRate: 0.9 },
  {
    key: 'oa-member-stats', system: 'oa', title: '关于报送党员基本情况统计表的通知', issueRate: 0.5,
    fields: [...STATS_FIELDS, ...pick(MEMBER_FIELDS, 'name', 'gender', 'birthDate', 'ethnicity', 'education', 'category', 'joinedAt', 'jobTitle', 'phone')],
  },
  { key: 'oa-study', system: 'oa', title: '关于报送{period}党员学习教育情况的通知', fields: pick(STUDY_FIELDS, 'minutes', 'courses', 'lectureAttendance'), issueRate: 0.45 },
  {
    key: 'wechat-party-day', system: 'wechat', title: '{period}主题党日活动上报', issueRate: 0.8,
    fields: pick(MEETING_FIELDS, 'kind', 'topic', 'heldOn', 'place', 'attendees', 'present', 'photos', 'signIn'),
  },
  { key: 'wechat-dues', system: 'wechat', title: '{period}党费缴纳情况确认', fields: pick(DUES_FIELDS, 'month', 'due', 'paid', 'method', 'paidOn'), issueRate: 0.6 },
  { key: 'member-collect', system: 'member-system', title: '党员信息采集（{period}）', fields: MEMBER_FIELDS, issueRate: 0.35 },
  {
    key: 'member-dues', system: 'member-system', title: '{period}党费收缴情况', issueRate: 0.5,
    fields: pick(DUES_FIELDS, 'month', 'base', 'due', 'paid', 'method', 'paidOn', 'late', 'paidUpTo'),
  },
  {
    key: 'xapi-study', system: 'xapi', title: '{period}党员学习任务', issueRate: 0.7,
    fields: [...STUDY_FIELDS, ...pick(MEETING_FIELDS, 'topic', 'heldOn', 'attendees')],
  },
];

/**
 * The overlaps README.md documents, as pairs of templates and the fields both ask for. The
 * tests check that generated tasks overlap exactly this way and no other.
 */
export const DOCUMENTED_OVERLAPS: ReadonlyArray<{ readonly pair: readonly [string, string]; readonly fields: readonly string[] }> = [
  { pair: ['oa-meetings', 'wechat-party-day'], fields: pick(MEETING_FIELDS, 'kind', 'topic', 'heldOn', 'place', 'attendees', 'present', 'photos', 'signIn') },
  { pair: ['oa-meetings', 'xapi-study'], fields: pick(MEETING_FIELDS, 'topic', 'heldOn', 'attendees') },
  { pair: ['wechat-party-day', 'xapi-study'], fields: pick(MEETING_FIELDS, 'topic', 'heldOn', 'attendees') },
  {
    pair: ['oa-member-stats', 'member-collect'],
    fields: pick(MEMBER_FIELDS, 'name', 'gender', 'birthDate', 'ethnicity', 'education', 'category', 'joinedAt', 'jobTitle', 'phone'),
  },
  { pair: ['oa-study', 'xapi-study'], fields: pick(STUDY_FIELDS, 'minutes', 'courses', 'lectureAttendance') },
  { pair: ['wechat-dues', 'member-dues'], fields: pick(DUES_FIELDS, 'month', 'due', 'paid', 'method', 'paidOn') },
];
