// Entry point of the extension host bundle (dist/extension.js). All wiring lives in src/vscode/.
import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {}

export function deactivate(): void {}
