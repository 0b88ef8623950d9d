// Entry point of the extension host bundle (dist/extension.js). All wiring lives in src/vscode/.
import type * as vscode from 'vscode';
import { activateExtension, type Np6Api } from './vscode/activation/activate';

export function activate(context: vscode.ExtensionContext): Np6Api {
  return activateExtension(context);
}

export function deactivate(): void {}
