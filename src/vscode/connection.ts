// Which server and which key a request uses. Configured campaigns go to np6.baseUrl with the user's
// key; demo campaigns go to the demo sandbox (its own process) with its in-memory key. The two never mix, so the
// real key is never sent to the demo server, nor the demo key to NP6.
import type * as vscode from 'vscode';
import { Np6Client } from '../np6/client';
import type { ApiKeyStore } from './apiKeyStore';
import type { DemoController } from './demo';
import { logRequest } from './log';
import { readSettings } from './settings';

export type ClientResult =
  { client: Np6Client; target: string } | { problem: 'noKey' | 'badUrl' | 'noDemo'; message: string };

export class Connection {
  constructor(
    private readonly keys: ApiKeyStore,
    private readonly demo: DemoController,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async clientFor(demo: boolean): Promise<ClientResult> {
    const settings = readSettings();
    if (demo) {
      const d = this.demo.current;
      if (!d) {
        return { problem: 'noDemo', message: 'The demo is not running: start it with "NP6: Try the Demo".' };
      }
      return {
        client: new Np6Client({
          baseUrl: d.url,
          apiKey: d.apiKey,
          timeoutMs: settings.requestTimeoutMs,
          ...settings.limits,
          log: logRequest(this.log, 'demo'),
        }),
        target: 'demo',
      };
    }
    if ('error' in settings.baseUrl) return { problem: 'badUrl', message: settings.baseUrl.error };
    const key = await this.keys.get();
    if (!key) return { problem: 'noKey', message: 'No NP6 API key is set: run "NP6: Set API Key".' };
    return {
      client: new Np6Client({
        baseUrl: settings.baseUrl.url,
        apiKey: key,
        timeoutMs: settings.requestTimeoutMs,
        ...settings.limits,
        log: logRequest(this.log, new URL(settings.baseUrl.url).host),
      }),
      target: settings.baseUrl.url,
    };
  }
}
