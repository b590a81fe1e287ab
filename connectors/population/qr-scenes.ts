// The table the account's IT department holds for the population's branch QR codes: a follower
// who subscribed through a branch's code carries the scene string `zb<org code>`
// (systems/wechat.ts follower), and the branch is named as the account names it. What a hub is
// configured with (YIBIAO_WECHAT_QR_SCENES) for this population.
import type { Population } from './generate.ts';

export const qrSceneOf = (orgCode: string): string => `zb${orgCode}`;

/** scene string → branch name, for every org a follower could have scanned the code of. */
export function populationQrScenes(pop: Pick<Population, 'orgs'>): Map<string, string> {
  return new Map(pop.orgs.map((o) => [qrSceneOf(o.code), o.names.wechat]));
}
