// Surnames with pinyin and approximate share of the population in basis points (1/10,000),
// after the Ministry of Public Security's published household-registration rankings (2019–2020):
// the top five (王 李 张 刘 陈) cover about 30 % of people, the top 100 about 85 %. Shares below
// the top 100 are rounded; compound surnames are rare (欧阳, the commonest, about 8 in 10,000).
// Draws are renormalised over this table, which slightly over-weights the listed surnames
// (and so common-name collisions) against the long tail it leaves out.
export const SURNAMES: ReadonlyArray<readonly [surname: string, pinyin: string, basisPoints: number]> = [
  ['王', 'wang', 712], ['李', 'li', 700], ['张', 'zhang', 676], ['刘', 'liu', 542], ['陈', 'chen', 461],
  ['杨', 'yang', 308], ['黄', 'huang', 250], ['赵', 'zhao', 229], ['吴', 'wu', 204], ['周', 'zhou', 201],
  ['徐', 'xu', 170], ['孙', 'sun', 155], ['马', 'ma', 153], ['朱', 'zhu', 136], ['胡', 'hu', 131],
  ['郭', 'guo', 125], ['何', 'he', 119], ['林', 'lin', 113], ['高', 'gao', 113], ['罗', 'luo', 102],
  ['郑', 'zheng', 96], ['梁', 'liang', 91], ['谢', 'xie', 83], ['宋', 'song', 79], ['唐', 'tang', 78],
  ['许', 'xu', 73], ['韩', 'han', 71], ['邓', 'deng', 70], ['冯', 'feng', 70], ['曹', 'cao', 64],
  ['彭', 'peng', 62], ['曾', 'zeng', 62], ['肖', 'xiao', 61], ['田', 'tian', 59], ['董', 'dong', 55],
  ['潘', 'pan', 53], ['袁', 'yuan', 53], ['蔡', 'cai', 51], ['蒋', 'jiang', 51], ['余', 'yu', 50],
  ['于', 'yu', 49], ['杜', 'du', 47], ['叶', 'ye', 47], ['程', 'cheng', 46], ['魏', 'wei', 45],
  ['苏', 'su', 45], ['吕', 'lv', 44], ['丁', 'ding', 43], ['任', 'ren', 42], ['卢', 'lu', 39],
  ['姚', 'yao', 39], ['沈', 'shen', 38], ['钟', 'zhong', 37], ['姜', 'jiang', 36], ['崔', 'cui', 35],
  ['谭', 'tan', 34], ['陆', 'lu', 33], ['范', 'fan', 32], ['汪', 'wang', 32], ['廖', 'liao', 31],
  ['石', 'shi', 31], ['金', 'jin', 30], ['韦', 'wei', 30], ['贾', 'jia', 30], ['夏', 'xia', 29],
  ['付', 'fu', 29], ['方', 'fang', 28], ['邹', 'zou', 27], ['熊', 'xiong', 27], ['白', 'bai', 27],
  ['孟', 'meng', 26], ['秦', 'qin', 26], ['邱', 'qiu', 25], ['侯', 'hou', 25], ['江', 'jiang', 25],
  ['尹', 'yin', 24], ['薛', 'xue', 24], ['闫', 'yan', 23], ['段', 'duan', 23], ['雷', 'lei', 23],
  ['龙', 'long', 21], ['黎', 'li', 21], ['史', 'shi', 21], ['陶', 'tao', 20], ['贺', 'he', 20],
  ['毛', 'mao', 19], ['郝', 'hao', 19], ['顾', 'gu', 19], ['龚', 'gong', 18], ['邵', 'shao', 18],
  ['万', 'wan', 18], ['覃', 'qin', 17], ['武', 'wu', 17], ['钱', 'qian', 17], ['戴', 'dai', 17],
  ['严', 'yan', 16], ['莫', 'mo', 16], ['孔', 'kong', 16], ['向', 'xiang', 16], ['常', 'chang', 15],
  ['汤', 'tang', 14], ['康', 'kang', 13], ['易', 'yi', 13], ['乔', 'qiao', 12], ['赖', 'lai', 12],
  ['文', 'wen', 12], ['施', 'shi', 11], ['洪', 'hong', 11], ['辛', 'xin', 9], ['柯', 'ke', 8],
  ['章', 'zhang', 8], ['柳', 'liu', 6], ['伍', 'wu', 6], ['涂', 'tu', 8], ['游', 'you', 7],
  ['欧阳', 'ouyang', 8], ['司马', 'sima', 2], ['上官', 'shangguan', 1], ['诸葛', 'zhuge', 1],
  ['东方', 'dongfang', 0.5], ['皇甫', 'huangfu', 0.5], ['令狐', 'linghu', 0.3], ['慕容', 'murong', 0.2],
  ['尉迟', 'yuchi', 0.1], ['公孙', 'gongsun', 0.1],
];
