import assert from 'node:assert/strict';
import { rerunArgs } from '../../../src/core/timeline/rerunArgs';
import type { EventQuery } from '../../../src/np6/query';

describe('rerunArgs', () => {
  it('asks the same campaign, items, types, subtypes, range and sort again', () => {
    const q: EventQuery = {
      campaignId: 'c-1',
      endpoint: 'items',
      itemsEvents: [
        {
          channel: 'email',
          items: ['000PE4', 12],
          events: [{ type: 'execution' }, { type: 'hit', subtypes: ['open', 'redirection'] }],
        },
      ],
      start: 1000,
      end: 2000,
      sort: 'asc',
    };
    assert.deepEqual(rerunArgs(q), {
      campaignId: 'c-1',
      items: ['000PE4', '12'],
      types: ['execution', 'hit'],
      subtypes: ['open', 'redirection'],
      start: 1000,
      end: 2000,
      sort: 'asc',
      show: 'timeline',
    });
  });

  it('leaves out what the query did not restrict', () => {
    const a = rerunArgs({
      campaignId: 'c',
      endpoint: 'campaign',
      itemsEvents: [{ channel: 'email', events: [{ type: 'bounce' }] }],
      sort: 'none',
    });
    assert.deepEqual(a, { campaignId: 'c', types: ['bounce'], sort: 'none', show: 'timeline' });
  });
});
