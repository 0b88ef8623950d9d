// The only place the extension calls vscode.window.show{Error,Warning,Information}Message and
// creates MarkdownStrings. Messages mix the extension's words with outside text (NP6 error
// messages and bodies, request ids, campaign names from a workspace's settings, file paths); a
// non-modal notification would turn `[x](command:…)` in any of them into a link that runs the
// command, so the whole message goes through forNotification here. The extension's own messages
// hold no link or icon syntax, so nothing of ours is lost. The action buttons are the extension's
// own labels (callers compare the choice with them) and are passed as they are.
// A unit test (test/unit/core/untrustedText.test.ts) fails when src/vscode calls those APIs elsewhere.
import * as vscode from 'vscode';
import { forNotification } from '../core/untrustedText';

type Show = <T extends string>(
  message: string,
  options: vscode.MessageOptions,
  ...items: T[]
) => Thenable<T | undefined>;

function safe(show: Show) {
  function shown<T extends string>(message: string, ...items: T[]): Thenable<T | undefined>;
  function shown<T extends string>(
    message: string,
    options: vscode.MessageOptions,
    ...items: T[]
  ): Thenable<T | undefined>;
  function shown<T extends string>(
    message: string,
    first?: vscode.MessageOptions | T,
    ...rest: T[]
  ): Thenable<T | undefined> {
    const options: vscode.MessageOptions = typeof first === 'object' ? { ...first } : {};
    const items = typeof first === 'string' ? [first, ...rest] : rest;
    // A modal's message and detail are plain text (innerText), but a desktop build may render them
    // differently: escaping costs nothing visible.
    if (options.detail !== undefined) options.detail = forNotification(options.detail);
    return show(forNotification(message), options, ...items);
  }
  return shown;
}

export const showErrorMessage = safe((m, o, ...i) => vscode.window.showErrorMessage(m, o, ...i));
export const showWarningMessage = safe((m, o, ...i) => vscode.window.showWarningMessage(m, o, ...i));
export const showInformationMessage = safe((m, o, ...i) => vscode.window.showInformationMessage(m, o, ...i));

/**
 * A MarkdownString for text that holds outside values: no command links (isTrusted false), no
 * `$(icon)` and no HTML. Put outside values in it only through markdownCode (a code span) or
 * appendText on a value with no URL or e-mail address in it (marked autolinks those).
 */
export function untrustedMarkdown(value = ''): vscode.MarkdownString {
  const md = new vscode.MarkdownString(value, false);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}
