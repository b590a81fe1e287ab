// Attribute distributions for party members. Shares follow the CPC Central Organization
// Department's annual statistical communiqué (2023: 99.2 million members, 30.2 % women, 7.7 %
// ethnic minorities, 56.2 % with college education or above, roughly a quarter aged 61+) and are
// rounded; where the communiqué is silent the figure is an estimate and says so.

export const FEMALE_SHARE = 0.302;

/** 民族: 汉族 92.3 %; minorities by their census size (estimate of the split). */
export const ETHNICITIES: ReadonlyArray<readonly [string, number]> = [
  ['汉族', 923], ['壮族', 12], ['回族', 10], ['满族', 9], ['维吾尔族', 6], ['苗族', 6], ['彝族', 5],
  ['土家族', 6], ['藏族', 4], ['蒙古族', 5], ['侗族', 2], ['布依族', 2], ['瑶族', 2], ['白族', 2],
  ['朝鲜族', 2], ['哈尼族', 1], ['黎族', 1], ['畲族', 1], ['哈萨克族', 1],
];

/** 学历 by birth cohort (estimate): younger members are far more often graduates. */
export const EDUCATION_BY_COHORT: ReadonlyArray<readonly [bornBefore: number, weights: ReadonlyArray<readonly [string, number]>]> = [
  [1955, [['研究生', 1], ['大学本科', 10], ['大学专科', 14], ['中专', 15], ['高中', 25], ['初中及以下', 35]]],
  [1970, [['研究生', 4], ['大学本科', 26], ['大学专科', 24], ['中专', 12], ['高中', 18], ['初中及以下', 16]]],
  [1985, [['研究生', 12], ['大学本科', 48], ['大学专科', 22], ['中专', 6], ['高中', 7], ['初中及以下', 5]]],
  [9999, [['研究生', 22], ['大学本科', 58], ['大学专科', 16], ['中专', 2], ['高中', 1.5], ['初中及以下', 0.5]]],
];

/** 工作岗位 as the member system classifies it, for people in work (estimate of the split). */
export const JOB_CATEGORIES: ReadonlyArray<readonly [string, number]> = [
  ['党政机关工作人员', 22], ['事业单位管理人员', 12], ['专业技术人员', 24], ['企业管理人员', 14],
  ['工人', 14], ['农牧渔民', 6], ['学生', 3], ['其他职业人员', 5],
];
export const RETIRED_CATEGORY = '离退休人员';

/** Job titles as an OA directory shows them, by 工作岗位. */
export const JOB_TITLES: Readonly<Record<string, readonly string[]>> = {
  党政机关工作人员: ['科员', '一级科员', '四级主任科员', '二级主任科员', '副科长', '科长', '副处长', '处长', '办公室主任'],
  事业单位管理人员: ['干事', '管理岗', '办公室副主任', '科长', '副主任', '主任'],
  专业技术人员: ['助理工程师', '工程师', '高级工程师', '会计', '中级会计师', '教师', '一级教师', '主治医师', '护士', '主管护师'],
  企业管理人员: ['专员', '主管', '经理助理', '部门经理', '副总经理', '项目经理'],
  工人: ['操作工', '技术员', '班组长', '维修工', '驾驶员', '质检员'],
  农牧渔民: ['村民小组长', '村干部'],
  学生: ['学生'],
  其他职业人员: ['职员', '协管员', '社区工作者'],
};

/** Mainland mobile prefixes in use (China Mobile, Unicom, Telecom, Broadnet, MVNO). */
export const MOBILE_PREFIXES: readonly string[] = [
  '130', '131', '132', '133', '134', '135', '136', '137', '138', '139', '145', '147', '149', '150', '151',
  '152', '153', '155', '156', '157', '158', '159', '162', '165', '166', '167', '170', '171', '172', '173',
  '175', '176', '177', '178', '180', '181', '182', '183', '184', '185', '186', '187', '188', '189', '190',
  '191', '192', '193', '195', '196', '197', '198', '199',
];

/** Streets for 家庭住址 in the home city (Nanchang). */
export const STREETS: readonly string[] = [
  '八一大道', '阳明路', '北京西路', '北京东路', '红谷中大道', '象山北路', '井冈山大道', '青山南路', '胜利路',
  '中山路', '叠山路', '民德路', '洪都北大道', '丰和中大道', '庐山南大道', '赣江中大道', '紫阳大道', '昌北大道',
  '二七北路', '抚河北路', '站前路', '洪城路', '京东大道', '解放西路', '迎宾大道', '金沙大道', '富山大道',
];
