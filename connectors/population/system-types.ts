// Each source system's records in its own native shape, as its export or API returns them.

/** One row of the 党员管理信息系统 Excel export (headers as the export prints them). */
export interface MemberSystemRow {
  记录ID: string;
  姓名: string;
  性别: string;
  民族: string;
  公民身份证号码: string;
  出生日期: string;
  学历: string;
  人员类别: string;
  所在党支部: string;
  入党日期: string;
  转正日期: string;
  联系电话: string;
  家庭住址: string;
  工作岗位: string;
  党籍状态: string;
  是否失联党员: string;
  是否流动党员: string;
}
export const MEMBER_SYSTEM_HEADERS = [
  '记录ID', '姓名', '性别', '民族', '公民身份证号码', '出生日期', '学历', '人员类别', '所在党支部', '入党日期', '转正日期',
  '联系电话', '家庭住址', '工作岗位', '党籍状态', '是否失联党员', '是否流动党员',
] as const satisfies ReadonlyArray<keyof MemberSystemRow>;

/** An item of `user_info_list` from `POST /cgi-bin/user/info/batchget` (2021+ shape: no nickname). */
export interface WechatUserInfo {
  subscribe: 1;
  openid: string;
  language: 'zh_CN';
  subscribe_time: number;
  unionid?: string;
  remark: string;
  groupid: 0;
  tagid_list: number[];
  subscribe_scene: string;
  qr_scene: number;
  qr_scene_str: string;
}

/** `GET /cgi-bin/tags/get` item. */
export interface WechatTag {
  id: number;
  name: string;
  count: number;
}

/** The party mini-program's binding of a follower to a real person (its own table, by openid). */
export interface WechatBinding {
  id: string;
  openid: string;
  realName: string;
  phone: string;
  /** Only when the binding went through 实名认证; '' otherwise. */
  idNumber: string;
  branchName: string;
  boundAt: string;
}

export interface XapiAgent {
  objectType: 'Agent';
  name: string;
  account: { homePage: string; name: string };
}

/** A learner as the remote-education platform's user list holds them. */
export interface XapiLearner {
  id: string;
  actor: XapiAgent;
  phone: string;
  orgName: string;
  registeredAt: string;
}

export interface XapiStatement {
  id: string;
  actor: XapiAgent;
  verb: { id: string; display: Record<string, string> };
  object: {
    objectType: 'Activity';
    id: string;
    definition: { name: Record<string, string>; type: string };
  };
  result: { completion: boolean; duration: string };
  timestamp: string;
  stored: string;
  version: '1.0.3';
}

/** An employee in the OA (泛微 e-cology HrmResource-style) directory. */
export interface OaEmployee {
  id: number;
  workcode: string;
  loginid: string;
  lastname: string;
  departmentname: string;
  subcompanyname: string;
  mobile: string;
  jobtitlename: string;
  status: '正式' | '试用';
}

/** A 统一待办 (unified todo) pushed to the OA, as the receiveTodoRequest call carries it. */
export interface OaTodo {
  syscode: string;
  flowid: string;
  requestname: string;
  workflowname: string;
  nodename: string;
  pcurl: string;
  appurl: string;
  creator: string;
  createdatetime: string;
  receiver: string;
  receivedatetime: string;
  isremark: '0' | '2';
  viewtype: '0' | '1';
}
