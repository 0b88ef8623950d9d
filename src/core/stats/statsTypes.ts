// The shape of a result's statistics: plain data (JSON-ready), the same for the whole result and
// for each item, so A/B is two items side by side.

import type { StageName } from './stages';

/** A figure counted over every event and over human hits only (equal when nothing is classified). */
export interface Figure {
  all: number;
  humans: number;
}

export interface KindCount extends Figure {
  /** 'execution', 'hit:open', ... */
  kind: string;
}

export interface StageFigure {
  stage: StageName;
  /** Unique recipients in the stage. */
  recipients: Figure;
  /** Share of the base stage's recipients (0..1, may pass 1 in a zoomed view); absent without a base. */
  rate?: { all: number; humans: number; over: StageName };
}

export interface LinkFigure {
  link: string;
  clickers: Figure;
  clicks: Figure;
}

export interface NamedFigure extends Figure {
  name: string;
}

export interface DelayFigure extends Figure {
  bucket: string;
}

export interface ScopeStats {
  /** Selected events in the scope. */
  events: number;
  /** Unique recipients with any selected event. */
  recipients: number;
  byKind: KindCount[];
  funnel: StageFigure[];
  bounces: { all: number; hard: number; soft: number; unknown: number };
  complaints: number;
  topLinks: LinkFigure[];
  /** Hits (opens, clicks, ...) per client text, device, operating system and browser. */
  clients: NamedFigure[];
  devices: NamedFigure[];
  os: NamedFigure[];
  browsers: NamedFigure[];
  /** Messages by the delay from their first activation to their first open / first click. */
  timeToOpen: DelayFigure[];
  timeToClick: DelayFigure[];
}

export interface ResultStats {
  /** True when hits were classified: `humans` figures then mean something. */
  classified: boolean;
  /** Events the selection kept, and events in the result. */
  selected: number;
  total: number;
  whole: ScopeStats;
  items: { item: string; stats: ScopeStats }[];
  /** Milliseconds the computation took. */
  elapsedMs: number;
}
