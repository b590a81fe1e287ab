// The remote-education platform's catalogue: recorded courses (completed) and live lectures
// (attended, counted as 党课 attendance). Minutes are the course length.
export interface Course {
  readonly id: number;
  readonly title: string;
  readonly minutes: number;
  readonly live: boolean;
}

const RAW: ReadonlyArray<readonly [string, number, boolean?]> = [
  ['学习贯彻习近平新时代中国特色社会主义思想', 45], ['深入学习党的二十大精神', 40], ['《中国共产党章程》逐条解读', 30],
  ['《中国共产党纪律处分条例》学习', 35], ['《中国共产党支部工作条例（试行）》解读', 25], ['党史专题：伟大建党精神', 40],
  ['新中国史专题', 35], ['改革开放史专题', 35], ['社会主义发展史专题', 30], ['全面从严治党的新要求', 30],
  ['中央八项规定精神解读', 20], ['基层党组织标准化规范化建设', 25], ['党员发展工作实务', 30], ['党费收缴使用和管理', 20],
  ['三会一课制度的落实', 20], ['主题党日活动的组织', 20], ['组织生活会与民主评议党员', 25], ['网络安全与保密教育', 20],
  ['乡村振兴战略解读', 35], ['生态文明建设专题', 30], ['营商环境优化专题', 25], ['红色家书诵读', 15],
  ['井冈山精神的时代价值', 40], ['八一精神与人民军队', 35], ['苏区精神专题', 35], ['安全生产与应急管理', 25],
  ['廉政警示教育片', 50], ['法治思维与依法行政', 30], ['铸牢中华民族共同体意识', 30], ['总体国家安全观', 30],
  ['书记讲党课：学思想 强党性', 60, true], ['专题党课：以党建引领基层治理', 60, true], ['七一专题党课', 90, true],
  ['季度党课：廉洁自律', 60, true], ['先进典型事迹报告会', 75, true],
];

export const COURSES: readonly Course[] = RAW.map(([title, minutes, live], i) => ({ id: 10_001 + i, title, minutes, live: live ?? false }));
