// Lane colours come from the theme: the extension contributes np6Timeline.* colours (light, dark
// and high-contrast defaults) and VS Code exposes them as --vscode-np6Timeline-* variables.

const KIND_COLOR: Record<string, string> = {
  execution: 'np6Timeline-execution',
  activation: 'np6Timeline-activation',
  'hit:open': 'np6Timeline-open',
  'hit:mirror': 'np6Timeline-open',
  'hit:redirection': 'np6Timeline-click',
  'hit:form': 'np6Timeline-click',
  'hit:unsubscribe': 'np6Timeline-negative',
  bounce: 'np6Timeline-bounce',
  complaint: 'np6Timeline-negative',
  optout: 'np6Timeline-negative',
  cancellation: 'np6Timeline-negative',
};

export function kindColorVar(kind: string): string {
  return `--vscode-${KIND_COLOR[kind] ?? (kind.startsWith('hit') ? 'np6Timeline-click' : 'np6Timeline-other')}`;
}

/** Resolved colours for the canvases (canvas cannot use var()). Re-read when the theme changes. */
export class Palette {
  private cache = new Map<string, string>();
  private style: CSSStyleDeclaration | undefined;
  /** Bumped on every theme change, so cached drawings know to redraw. */
  epoch = 0;
  reset(): void {
    this.epoch++;
    this.cache.clear();
    this.style = undefined;
  }
  get(cssVar: string, fallbackVar = '--vscode-foreground'): string {
    let c = this.cache.get(cssVar);
    if (c === undefined) {
      this.style ??= getComputedStyle(document.body);
      c =
        this.style.getPropertyValue(cssVar).trim() ||
        this.style.getPropertyValue(fallbackVar).trim() ||
        'gray';
      this.cache.set(cssVar, c);
    }
    return c;
  }
  /** The canvas font (the UI font at 11px), read once per theme: getComputedStyle per frame forces style work. */
  get font(): string {
    let f = this.cache.get('font');
    if (f === undefined) {
      this.style ??= getComputedStyle(document.body);
      f = `11px ${this.style.fontFamily || 'sans-serif'}`;
      this.cache.set('font', f);
    }
    return f;
  }
  kind(kind: string): string {
    return this.get(kindColorVar(kind), '--vscode-charts-blue');
  }
}
