// The campaigns of np6.campaigns as the tree and the commands see them, with the reason an id cannot
// be sent. Its own module so that Np6Extension and the commands need not reach into the tree for it.
import type { CampaignRef } from './campaigns';
import { checkId, checkItemId } from '../np6/ids';
import { readSettings } from './settings';

export function configuredCampaigns(): CampaignRef[] {
  return readSettings().campaigns.map((c) => {
    const invalid = checkId(c.id, 'campaign');
    return {
      id: c.id,
      label: c.name ?? c.id,
      ...(c.name ? { name: c.name } : {}),
      items: c.items.map((i) => {
        const bad = checkItemId(i.id);
        return bad === undefined ? i : { ...i, invalid: bad };
      }),
      demo: false,
      ...(invalid !== undefined ? { invalid } : {}),
    };
  });
}
