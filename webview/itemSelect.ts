// The item filter: vscode-multi-select, but its face says "All items" when nothing is selected
// (no item filter = every item) instead of "0 Selected", and names the item when one is chosen.
// The face is rendered by the component's `_renderLabel`; this subclass replaces only that.

import { VscodeMultiSelect } from '@vscode-elements/elements/dist/vscode-multi-select/index.js';

/** What the face says for the selected values (`nameOf` gives an item's display name). */
export function itemFilterLabel(selected: readonly string[], nameOf: (id: string) => string): string {
  if (selected.length === 0) return 'All items';
  if (selected.length === 1) return nameOf(selected[0] as string);
  return `${selected.length} items`;
}

// `_renderLabel` is private in the component's typings: reach it through a structural base type.
const Base = VscodeMultiSelect as unknown as new () => HTMLElement & {
  value: string[];
  requestUpdate(): void;
};

export class ItemSelect extends Base {
  /** Display name of an item id (set by the page when the names arrive). */
  nameOf: (id: string) => string = (id) => id;
  private readonly face = document.createElement('span');

  /** Called by the component's render: a text node of ours, never markup. */
  protected _renderLabel(): Node {
    const selected = this.value;
    this.face.className = selected.length ? 'select-face-badge' : 'select-face-badge no-item';
    const text = itemFilterLabel(selected, this.nameOf);
    this.face.textContent = text;
    this.title = selected.length > 1 ? selected.map(this.nameOf).join(', ') : `Items: ${text}`;
    return this.face;
  }
}

export const ITEM_SELECT_TAG = 'np6-item-select';
if (!customElements.get(ITEM_SELECT_TAG)) customElements.define(ITEM_SELECT_TAG, ItemSelect);
