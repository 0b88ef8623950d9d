// A small multi-step QuickPick/InputBox driver: each step shows "title (k/n)", a Back button from the
// second step on, and resolves with the answer, BACK, or undefined when the user cancels.
import * as vscode from 'vscode';

export const BACK = Symbol('back');
export type StepResult<T> = T | typeof BACK | undefined;

/** A button of the step besides Back: told when pressed, then the step is accepted as with Enter. */
export interface ExtraButton {
  button: vscode.QuickInputButton;
  onTrigger: () => void;
}

export interface PickStep<T extends vscode.QuickPickItem> {
  title: string;
  step: number;
  totalSteps: number;
  placeholder: string;
  items: T[];
  canPickMany?: boolean;
  selected?: T[];
  active?: T;
  extraButton?: ExtraButton;
}

export interface InputStep {
  title: string;
  step: number;
  totalSteps: number;
  prompt: string;
  value?: string;
  placeholder?: string;
  /** Returns an error (refuses Enter) or a message shown under the box (accepts). */
  validate: (text: string) => { error: string } | { info: string };
}

function withButtons(
  ui: vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox,
  step: number,
  total: number,
  title: string,
): void {
  ui.title = title;
  ui.step = step;
  ui.totalSteps = total;
  ui.ignoreFocusOut = true;
  ui.buttons = step > 1 ? [vscode.QuickInputButtons.Back] : [];
}

/** One QuickPick step; single pick returns [item], multi pick returns the selection. */
export function pick<T extends vscode.QuickPickItem>(s: PickStep<T>): Promise<StepResult<T[]>> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<T>();
    withButtons(qp, s.step, s.totalSteps, s.title);
    qp.placeholder = s.placeholder;
    qp.canSelectMany = Boolean(s.canPickMany);
    qp.matchOnDescription = true;
    qp.items = s.items;
    if (s.canPickMany && s.selected) qp.selectedItems = s.selected;
    if (s.active) qp.activeItems = [s.active];
    let done = false;
    const finish = (r: StepResult<T[]>): void => {
      if (done) return;
      done = true;
      resolve(r);
      qp.dispose();
    };
    if (s.extraButton) qp.buttons = [...qp.buttons, s.extraButton.button];
    const accept = (): boolean => {
      const chosen = s.canPickMany ? [...qp.selectedItems] : [...qp.activeItems];
      if (chosen.length === 0) {
        // QuickPick has no validation message in the 1.90 API: say it in the placeholder.
        qp.placeholder = `${s.placeholder} — ${s.canPickMany ? 'choose at least one (Space toggles an entry)' : 'choose an entry'}`;
        return false;
      }
      finish(chosen);
      return true;
    };
    qp.onDidTriggerButton((b) => {
      if (b === vscode.QuickInputButtons.Back) finish(BACK);
      else if (s.extraButton && b === s.extraButton.button) {
        s.extraButton.onTrigger();
        accept();
      }
    });
    qp.onDidAccept(() => void accept());
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}

/** One InputBox step whose validation message doubles as a live preview of the parsed value. */
export function input(s: InputStep): Promise<StepResult<string>> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    withButtons(box, s.step, s.totalSteps, s.title);
    box.prompt = s.prompt;
    box.value = s.value ?? '';
    if (s.placeholder) box.placeholder = s.placeholder;
    const show = (text: string): boolean => {
      const v = s.validate(text);
      if ('error' in v) {
        box.validationMessage = { message: v.error, severity: vscode.InputBoxValidationSeverity.Error };
        return false;
      }
      box.validationMessage = { message: v.info, severity: vscode.InputBoxValidationSeverity.Info };
      return true;
    };
    show(box.value);
    let done = false;
    const finish = (r: StepResult<string>): void => {
      if (done) return;
      done = true;
      resolve(r);
      box.dispose();
    };
    box.onDidChangeValue((t) => void show(t));
    box.onDidTriggerButton((b) => {
      if (b === vscode.QuickInputButtons.Back) finish(BACK);
    });
    box.onDidAccept(() => {
      if (show(box.value)) finish(box.value);
    });
    box.onDidHide(() => finish(undefined));
    box.show();
  });
}
