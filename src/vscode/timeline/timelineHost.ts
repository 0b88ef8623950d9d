// What a timeline panel calls back into: the result store and the commands that act on a whole
// result (re-run, resume, refresh, export, open as JSON). Implemented by ResultViews
// (src/vscode/commands/resultCommands.ts), so the panel knows nothing of queries or exports.
import type * as vscode from 'vscode';
import type { ResultStore } from '../../core/resultStore';
import type { VisibleSelection } from '../exportResult';

export interface TimelineHost {
  extensionUri: vscode.Uri;
  /** The stored result with this id, or undefined when it no longer exists. */
  openResult(id: string): Promise<ResultStore | undefined>;
  /** Runs the result's query again (Re-run of a partial result, Refresh of a past range). */
  rerun(resultId: string): Promise<void>;
  /**
   * Fetches the windows the result is missing into it (the partial banner's first action).
   * Without it, the panel runs the `np6.resume` command for the result's campaign.
   */
  resume?(resultId: string): Promise<void>;
  /**
   * Re-reads the trailing settle window of a result whose range reaches "now", merging by id into
   * the same store; returns the index range [newFrom, newTo) of the events that are new, or
   * undefined when the result cannot be refreshed (its range ends in the past: re-run it instead).
   */
  refresh(resultId: string): Promise<{ newFrom: number; newTo: number } | undefined>;
  /**
   * Exports the result; `visibleIds` = only part of it: the timeline passes the arrival indices
   * of what its filters and zoom show, with the view's cut (the export's `subset`).
   */
  exportResult(resultId: string, visibleIds?: readonly string[] | VisibleSelection): Promise<void>;
  openAsJson(resultId: string): Promise<void>;
}
