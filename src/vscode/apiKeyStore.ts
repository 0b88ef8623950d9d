// The API key lives only in SecretStorage. This wrapper never logs or returns the value anywhere but
// to the caller that builds the HTTP client, and reports changes made by another window.
import * as vscode from 'vscode';

const KEY = 'np6.apiKey';

export class ApiKeyStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange((e) => {
      if (e.key === KEY) this.changed.fire();
    });
  }

  get(): Thenable<string | undefined> {
    return this.secrets.get(KEY);
  }

  async has(): Promise<boolean> {
    return Boolean(await this.secrets.get(KEY));
  }

  async set(value: string): Promise<void> {
    await this.secrets.store(KEY, value);
  }

  async clear(): Promise<void> {
    await this.secrets.delete(KEY);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

// The rule for typed keys lives with the pure code (unit-tested): printable ASCII, one token.
export { checkApiKeyText } from '../core/apiKeyText';
