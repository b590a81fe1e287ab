// Which column of an OA directory export holds which HrmResource field. The 人员信息导出 the OA
// writes uses the field names; an export a clerk made from the HR screen, or another OA product's,
// labels them in Chinese, leaves some out and orders them its own way. The design page describes
// the directory as "login name, name, department, mobile": those, with a name, are what a file
// must have at least.
import { columnsByName } from '../../schemas/header-columns.ts';
import { ImportFileError } from '../contract.ts';
import type { OaEmployee } from './protocol.ts';

export const DIRECTORY_HEADERS = [
  'id', 'workcode', 'loginid', 'lastname', 'departmentname', 'subcompanyname', 'mobile', 'jobtitlename', 'status',
] as const satisfies ReadonlyArray<keyof OaEmployee>;
export type DirectoryHeader = (typeof DIRECTORY_HEADERS)[number];

/** Each field's names: its HrmResource name first, then what other exports call it. */
const NAMES: Record<DirectoryHeader, readonly string[]> = {
  id: ['id', '人员id', 'hrmid', 'userid', '用户id'],
  workcode: ['workcode', '工号', '编号', '人员编号'],
  loginid: ['loginid', 'loginname', 'login', '登录名', '登录账号', '登录帐号', '账号', '帐号', '用户名'],
  lastname: ['lastname', 'name', '姓名'],
  departmentname: ['departmentname', 'department', 'dept', '部门', '所属部门', '部门名称'],
  subcompanyname: ['subcompanyname', 'subcompany', '分部', '所属分部', '分部名称'],
  mobile: ['mobile', 'phone', 'mobilephone', '手机', '手机号', '手机号码', '移动电话'],
  jobtitlename: ['jobtitlename', 'jobtitle', 'title', '岗位', '岗位名称', '职务'],
  status: ['status', '状态', '人员状态'],
};

/** Field → column index; refuses a header without a name or without an id or login, naming what is missing. */
export function directoryColumns(header: readonly string[], file: string): ReadonlyMap<DirectoryHeader, number> {
  // Unknown columns are other data the OA exported.
  const columns = columnsByName(header, NAMES);
  const missing = [...(columns.has('lastname') ? [] : ['lastname (姓名)']), ...(columns.has('id') || columns.has('loginid') ? [] : ['id or loginid (登录名)'])];
  if (missing.length > 0) {
    throw new ImportFileError(file, `the header has no ${missing.join(' and no ')}; found ${header.map((h) => `"${h}"`).join(', ')}`, { row: 1, column: missing.join(', ') });
  }
  return columns;
}
