// Given names. Three sources are mixed (see names.ts): whole given names that recur across the
// country (the reason 王伟, 王芳, 李娜, 张敏 each name about 250,000 people), one-character
// names (common among people born before 1990), and two-character names composed from gendered
// character pools. Each character carries its pinyin for OA login names.

/** Whole given names that recur nationally, by gender, with relative weight. */
export const POPULAR_GIVEN: Readonly<Record<'男' | '女', ReadonlyArray<readonly [string, number]>>> = {
  男: [
    ['伟', 60], ['强', 30], ['磊', 30], ['军', 30], ['勇', 28], ['杰', 28], ['涛', 25], ['明', 22], ['超', 22],
    ['刚', 20], ['平', 18], ['辉', 18], ['鹏', 16], ['华', 16], ['飞', 15], ['斌', 14], ['波', 14], ['宇', 12],
    ['浩', 12], ['凯', 12], ['健', 10], ['俊', 10], ['帆', 9], ['建华', 12], ['建国', 12], ['建军', 10],
    ['国强', 9], ['志强', 9], ['志明', 7], ['海涛', 7], ['晓东', 7], ['俊杰', 7], ['文博', 5], ['浩然', 5],
    ['子轩', 4], ['国华', 6], ['红军', 6], ['卫东', 5], ['建平', 6], ['永强', 5],
  ],
  女: [
    ['芳', 55], ['娜', 52], ['敏', 50], ['静', 50], ['秀英', 45], ['丽', 40], ['艳', 35], ['娟', 30], ['霞', 28],
    ['秀兰', 25], ['桂英', 25], ['燕', 25], ['玲', 22], ['红', 22], ['萍', 20], ['丹', 20], ['婷', 18],
    ['雪', 16], ['颖', 15], ['慧', 15], ['晶', 14], ['倩', 13], ['玉兰', 12], ['秀珍', 12], ['婷婷', 12],
    ['丽娟', 10], ['晓燕', 10], ['海燕', 10], ['春梅', 8], ['桂兰', 8], ['淑珍', 7], ['欣怡', 6], ['梦瑶', 4],
    ['雅琴', 5], ['美玲', 5], ['丽华', 6], ['秀梅', 6], ['金凤', 5], ['红梅', 6], ['莉', 12],
  ],
};

const MALE_POOL =
  '伟wei 强qiang 磊lei 军jun 勇yong 杰jie 涛tao 明ming 超chao 刚gang 平ping 辉hui 鹏peng 华hua 飞fei 鑫xin ' +
  '波bo 斌bin 宇yu 浩hao 凯kai 健jian 俊jun 帆fan 帅shuai 旭xu 宁ning 龙long 林lin 建jian 国guo 志zhi ' +
  '文wen 海hai 东dong 峰feng 亮liang 成cheng 永yong 新xin 春chun 德de 庆qing 晓xiao 博bo 晨chen 阳yang ' +
  '昊hao 宏hong 瑞rui 翔xiang 锋feng 毅yi 振zhen 力li 兴xing 家jia 洪hong 荣rong 宝bao 忠zhong 良liang ' +
  '义yi 福fu 生sheng 清qing 金jin 云yun 雷lei 松song 柏bai 坤kun 伦lun 礼li 贤xian 丰feng 进jin 达da ' +
  '胜sheng 贵gui 权quan 卫wei 红hong 小xiao 子zi 天tian 泽ze 然ran 嘉jia 铭ming 睿rui 轩xuan 涵han 航hang';

const FEMALE_POOL =
  '芳fang 娜na 敏min 静jing 丽li 艳yan 娟juan 霞xia 秀xiu 英ying 兰lan 燕yan 玲ling 梅mei 琳lin 婷ting ' +
  '雪xue 慧hui 颖ying 洁jie 莉li 倩qian 萍ping 红hong 华hua 玉yu 珍zhen 凤feng 娇jiao 琴qin 云yun 佳jia ' +
  '欣xin 怡yi 晶jing 月yue 蕾lei 莹ying 璐lu 瑶yao 悦yue 丹dan 妍yan 楠nan 婧jing 雯wen 薇wei 欢huan ' +
  '桂gui 淑shu 春chun 美mei 晓xiao 小xiao 雅ya 梦meng 思si 诗shi 嘉jia 文wen 海hai 金jin 爱ai 素su ' +
  '彩cai 亚ya 宁ning 琪qi 菲fei 露lu 翠cui 婉wan 娅ya 虹hong 媛yuan 萱xuan 馨xin 涵han 彤tong 蓉rong';

function parsePool(pool: string): ReadonlyArray<readonly [string, string]> {
  return pool.split(' ').map((entry) => [entry.charAt(0), entry.slice(1)] as const);
}

export const GIVEN_POOL: Readonly<Record<'男' | '女', ReadonlyArray<readonly [char: string, pinyin: string]>>> = {
  男: parsePool(MALE_POOL),
  女: parsePool(FEMALE_POOL),
};

/** Pinyin of every character a true (un-noised) name can contain, for OA login names. */
export const PINYIN: ReadonlyMap<string, string> = new Map([...GIVEN_POOL.男, ...GIVEN_POOL.女]);
