// CodeLenses on a query file's first line: Run, Open Last Result (once it ran), Copy Link; or, when
// the file cannot run, why (the schema's squiggles say where). The reason quotes the file: one line,
// icons made inert, and the lens has no command.
import * as vscode from 'vscode';
import { parseQueryFileText, QUERY_FILE_SUFFIX } from '../../core/queryFile/queryFile';
import { forIconLabel, oneLine } from '../../core/untrustedText';

export const QUERY_FILE_SELECTOR: vscode.DocumentSelector = [{ pattern: `**/*${QUERY_FILE_SUFFIX}` }];

export class QueryFileCodeLens implements vscode.CodeLensProvider {
  constructor(
    private readonly lastResultOf: (u: vscode.Uri) => string | undefined,
    readonly onDidChangeCodeLenses: vscode.Event<void>,
  ) {}

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    const f = parseQueryFileText(doc.getText());
    if ('error' in f) {
      return [
        new vscode.CodeLens(top, {
          title: forIconLabel(`NP6: cannot run: ${oneLine(f.error, 160)}`),
          command: '',
        }),
      ];
    }
    const lenses = [
      new vscode.CodeLens(top, {
        title: '$(play) Run',
        tooltip: 'Run this query (relative dates are resolved now)',
        command: 'np6.runQueryFile',
        arguments: [doc.uri],
      }),
    ];
    if (this.lastResultOf(doc.uri) !== undefined) {
      lenses.push(
        new vscode.CodeLens(top, {
          title: 'Open Last Result',
          tooltip: 'Open the result of the last run of this file',
          command: 'np6.openQueryFileLastResult',
          arguments: [doc.uri],
        }),
      );
    }
    lenses.push(
      new vscode.CodeLens(top, {
        title: 'Copy Link',
        tooltip: 'Copy a link that opens this query prefilled (no key, no address in it)',
        command: 'np6.copyQueryLink',
        arguments: [doc.uri],
      }),
    );
    return lenses;
  }
}
