// The "NP6" log: one line per HTTP request (from the client's `log` option). The key is never part of
// a RequestLogEntry, and nothing else that could hold it is written here.
import * as vscode from 'vscode';
import type { RequestLogEntry } from '../np6/client';

export function createLog(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('NP6', { log: true });
}

export function formatRequest(e: RequestLogEntry, target: string): string {
  const parts = [
    `${e.method} ${e.path}`,
    e.status !== undefined ? String(e.status) : 'no status',
    `${Math.round(e.durationMs)} ms`,
    `${e.events} events`,
    `${e.bytes} bytes`,
  ];
  if (e.attempt > 1) parts.push(`attempt ${e.attempt}`);
  if (e.requestId) parts.push(`x-request-id ${e.requestId}`);
  const line = `[${target}] ${parts.join(' · ')}`;
  return e.error ? `${line} · ${e.error}` : line;
}

export function logRequest(log: vscode.LogOutputChannel, target: string): (e: RequestLogEntry) => void {
  return (e) => {
    const line = formatRequest(e, target);
    if (e.error || (e.status !== undefined && e.status >= 400)) log.warn(line);
    else log.info(line);
  };
}
