// The index's string tables as the timeline page may see them while masking is on: recipients
// and their labels become pseudonyms (the label of a recipient is its e-mail, or a name); links,
// user agents and client texts keep their words but lose any e-mail or IP address inside them
// (a link's query string, an agent naming an address). Kinds and item ids are not personal.
import type { Masker } from '../mask';
import type { TableName } from '../../shared/timeline/batch';

export function maskTableValues(name: TableName, values: readonly string[], masker: Masker): string[] {
  switch (name) {
    case 'recipients':
    case 'labels':
      return values.map((v) => masker.pseudonym(v));
    case 'links':
    case 'agents':
    case 'clients':
      return values.map((v) => masker.maskText(v));
    case 'kinds':
    case 'items':
      return values.slice();
  }
}
