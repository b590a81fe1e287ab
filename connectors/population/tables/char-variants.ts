// How a name's characters go wrong in real records.
// - Traditional forms: typed on a phone or PC set to traditional input, or copied from an old
//   document. Pairs are the standard simplified↔traditional mappings of name characters.
// - Homophones: a pinyin input method offers several characters for one syllable and the wrong
//   one is picked (伟→玮, 静→婧); the commonest typo in Chinese names.
// - Look-alikes: misread handwriting or forms (候 for 侯, 扬 for 杨).

const TRADITIONAL_PAIRS =
  '王王 刘劉 陈陳 张張 杨楊 黄黃 赵趙 吴吳 孙孫 马馬 罗羅 郑鄭 谢謝 许許 韩韓 冯馮 邓鄧 肖蕭 蒋蔣 ' +
  '叶葉 苏蘇 吕呂 钟鍾 谭譚 陆陸 贾賈 韦韋 邹鄒 龚龔 万萬 钱錢 严嚴 汤湯 卢盧 闫閆 龙龍 顾顧 贺賀 ' +
  '欧歐 阳陽 诸諸 东東 尉尉 迟遲 伟偉 丽麗 艳艷 刚剛 军軍 杰傑 涛濤 华華 辉輝 鹏鵬 飞飛 凯凱 国國 ' +
  '庆慶 晓曉 兴興 荣榮 宝寶 义義 云雲 兰蘭 颖穎 洁潔 红紅 凤鳳 娇嬌 莹瑩 瑶瑤 欢歡 静靜 宁寧 帅帥 ' +
  '锋鋒 强強 伦倫 礼禮 贤賢 丰豐 进進 达達 胜勝 贵貴 权權 卫衛 轩軒 铭銘 航航 爱愛 彩彩 亚亞 梦夢 ' +
  '诗詩 翠翠 虹虹 媛媛 萱萱 馨馨 娅婭 泽澤';

/** Simplified → traditional, only for characters whose traditional form differs. */
export const TO_TRADITIONAL: ReadonlyMap<string, string> = new Map(
  TRADITIONAL_PAIRS.split(' ')
    .map((pair) => [pair.charAt(0), pair.charAt(1)] as const)
    .filter(([s, t]) => s !== t),
);

/** Traditional → simplified, the inverse of TO_TRADITIONAL. */
export const TO_SIMPLIFIED: ReadonlyMap<string, string> = new Map([...TO_TRADITIONAL].map(([s, t]) => [t, s]));

// Groups of characters an input method offers for the same syllable; any member may be typed
// for any other.
const HOMOPHONE_GROUPS =
  '伟玮炜薇 静婧晶 丽莉俐 娜那 军君俊 芳方 艳燕彦 娟鹃 杰洁捷 涛滔韬 明鸣铭 超朝 霞侠 平萍苹 刚钢纲 ' +
  '辉晖 鹏朋 华桦 飞菲非 鑫欣馨新 波博 斌彬滨 宇雨语玉 浩昊皓 凯恺 健建剑 帆凡 旭序 宁凝 龙隆 林琳霖 ' +
  '国果 志智 文雯闻 东冬 峰锋丰枫 亮靓 成诚程 永勇 春纯 红宏洪虹 庆青清 晓小筱 阳杨洋 瑞锐 翔祥 毅义艺怡 ' +
  '振镇 兴星 家佳嘉 荣蓉 宝保 福富 生升 金今 云芸韵 雷蕾 松嵩 兰岚 玲灵 梅玫 婷亭 雪学 慧惠 颖莹英瑛 ' +
  '倩茜 珍贞 凤风 娇姣 琴芹 月悦越 璐露路 瑶遥 楠南 秀修 桂贵 淑书 敏民 丹单 思斯 诗师 梦蒙 雅亚娅 ' +
  '张章 刘柳 徐许 吴伍 杨阳 程成';

// Pairs that look alike, in either direction.
const LOOKALIKE_PAIRS = '侯候 杨扬 王玉 己已 晴睛 汪注 崇祟 治冶 未末 土士 娟绢 辉晖 琳淋 婷停 锋峰';

function buildTypos(): ReadonlyMap<string, readonly string[]> {
  const map = new Map<string, Set<string>>();
  const add = (a: string, b: string) => {
    if (a === b) return;
    let set = map.get(a);
    if (!set) map.set(a, (set = new Set()));
    set.add(b);
  };
  for (const group of HOMOPHONE_GROUPS.split(' ')) {
    const chars = [...group];
    for (const a of chars) for (const b of chars) add(a, b);
  }
  for (const pair of LOOKALIKE_PAIRS.split(' ')) {
    const [a, b] = [...pair];
    if (a && b) {
      add(a, b);
      add(b, a);
    }
  }
  return new Map([...map].map(([k, v]) => [k, [...v].sort()]));
}

/** Character → characters typed or read in its place. */
export const TYPO_SUBSTITUTES: ReadonlyMap<string, readonly string[]> = buildTypos();

/** Name in traditional characters where a traditional form exists. */
export function toTraditional(name: string): string {
  let out = '';
  for (const ch of name) out += TO_TRADITIONAL.get(ch) ?? ch;
  return out;
}

export function toSimplified(name: string): string {
  let out = '';
  for (const ch of name) out += TO_SIMPLIFIED.get(ch) ?? ch;
  return out;
}
