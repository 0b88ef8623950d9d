// The one place that sets the context keys the welcome views and menus depend on.
import * as vscode from 'vscode';

export interface ViewState {
  hasApiKey: boolean;
  hasCampaigns: boolean;
  demoRunning: boolean;
  /** Set when the last request to NP6 could not reach it (network/timeout); cleared by a success. */
  unreachable: boolean;
}

let last: ViewState | undefined;

export function setViewState(s: ViewState): void {
  const entries: [string, boolean][] = [
    ['np6.hasApiKey', s.hasApiKey],
    ['np6.hasCampaigns', s.hasCampaigns],
    ['np6.demoRunning', s.demoRunning],
    ['np6.unreachable', s.unreachable],
  ];
  for (const [key, value] of entries) {
    const k = key.slice(4) as keyof ViewState;
    if (last?.[k] !== value) void vscode.commands.executeCommand('setContext', key, value);
  }
  last = { ...s };
}
