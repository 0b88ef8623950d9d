// The one place that decides which next steps (buttons) a failure gets: a missing key gets "Set API
// Key", a rate limit "Retry", a result with missing windows "Resume", an error worth reading "Show
// Log", and so on. The commands only describe what happened (a Failure) and run the chosen action
// (src/vscode/commands/nextSteps.ts), so two surfaces never offer different ways out of the same
// state. Pure: no VS Code, so the rules are unit-tested.

/** What a button does; src/vscode/commands/nextSteps.ts runs each. */
export type ActionId =
  | 'setApiKey'
  | 'openSettings'
  | 'tryDemo'
  | 'addCampaign'
  | 'queryEvents'
  | 'resume'
  | 'retry'
  | 'rerun'
  | 'showLog'
  | 'showArrived';

export interface NextStep {
  readonly id: ActionId;
  /** The button's label: the extension's own words (never outside text). */
  readonly label: string;
}

export const ACTION_LABELS: Readonly<Record<ActionId, string>> = {
  setApiKey: 'Set API Key',
  openSettings: 'Open Settings',
  tryDemo: 'Try the Demo',
  addCampaign: 'Add Campaign',
  queryEvents: 'Query Events...',
  resume: 'Resume',
  retry: 'Retry',
  rerun: 'Re-run',
  showLog: 'Show Log',
  showArrived: 'Show what arrived',
};

/** Why no request could be made (Connection.clientFor). */
export type SetupProblem = 'noKey' | 'badUrl' | 'noDemo';

export type Failure =
  /** No client: no key, a refused np6.baseUrl, or the demo is not running. */
  | { kind: 'noClient'; problem: SetupProblem | 'failed' }
  /** A query or a resume ended partial (error, cancel, or windows that never arrived). */
  | {
      kind: 'partial';
      /** The error that cut the result (Completeness.error), if any. */
      error?: { kind: string; status?: number };
      cancelled?: boolean;
      /** Windows recorded missing: Resume fetches exactly these. */
      missing: number;
      /** Events that arrived and were kept. */
      count: number;
    }
  /** A refresh ran but the result is still partial; `resumable` when its campaign is known. */
  | { kind: 'refreshedPartial'; missing: number; resumable: boolean }
  /** A refresh could not run: the range has settled ('past'), or no client, or it failed. */
  | { kind: 'refreshRefused'; why: 'gone' | 'past' | 'noClient' | 'failed'; problem?: SetupProblem }
  /** The demo server did not start. */
  | { kind: 'demoFailed' }
  /** A command needs a campaign and none is configured. */
  | { kind: 'noCampaign' }
  /** A command needs a stored result (or a last query) and the campaign has none. */
  | { kind: 'noResult' };

const AUTH_STATUSES = new Set([401, 403]);

function ids(f: Failure): ActionId[] {
  switch (f.kind) {
    case 'noClient':
      return setupSteps(f.problem);
    case 'partial': {
      const status = f.error?.status;
      const out: ActionId[] = [];
      if (status !== undefined && AUTH_STATUSES.has(status)) out.push('setApiKey');
      // Resume fetches only what is missing; without a recorded window there is nothing to resume,
      // and the same question asked again (Retry after a rate limit, else Re-run) is the way out.
      if (f.missing > 0) out.push('resume');
      else if (status === 429) out.push('retry');
      // The log holds the whole answer; the notification only a bounded part of it.
      if (f.error && !f.cancelled) out.push('showLog');
      if (f.count > 0) out.push('showArrived');
      if (status === 429 && !out.includes('retry')) out.push('retry');
      if (f.missing === 0 && !out.includes('retry') && !out.includes('setApiKey')) out.push('rerun');
      return out;
    }
    case 'refreshedPartial':
      return f.resumable && f.missing > 0 ? ['resume'] : [];
    case 'refreshRefused':
      if (f.why === 'past') return ['rerun'];
      if (f.why === 'noClient' && f.problem) return setupSteps(f.problem);
      return [];
    case 'demoFailed':
      return ['showLog'];
    case 'noCampaign':
      return ['addCampaign', 'tryDemo'];
    case 'noResult':
      return ['queryEvents'];
  }
}

function setupSteps(problem: SetupProblem | 'failed'): ActionId[] {
  switch (problem) {
    case 'noKey':
      return ['setApiKey'];
    case 'badUrl':
      return ['openSettings'];
    case 'noDemo':
      return ['tryDemo'];
    case 'failed':
      return ['showLog'];
  }
}

/** The buttons for a failure, in the order they are shown (the most useful first). */
export function nextSteps(f: Failure): NextStep[] {
  return ids(f).map((id) => ({ id, label: ACTION_LABELS[id] }));
}

/** The action whose label the user chose (a message returns the label), or undefined. */
export function chosenStep(steps: readonly NextStep[], label: string | undefined): ActionId | undefined {
  return steps.find((s) => s.label === label)?.id;
}
