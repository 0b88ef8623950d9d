// The settings of the statistics: masking, and the extra classification rules. The rules are
// read from the user (or remote machine) settings only: a workspace cannot add rules that would
// hide clicks or opens (the setting is machine-scoped; inspect() makes that hold everywhere).
import * as vscode from 'vscode';
import { checkExtraRules, type ExtraRulesCheck } from '../../core/classify/rules';

export const MASK_SETTING = 'np6.maskPersonalData';
export const EXTRA_RULES_SETTING = 'np6.classification.extraRules';

// Read in one place for every surface that masks (timeline, exports, statistics).
export { maskPersonalData } from '../masking';

export async function setMaskPersonalData(on: boolean): Promise<void> {
  await vscode.workspace
    .getConfiguration('np6')
    .update('maskPersonalData', on, vscode.ConfigurationTarget.Global);
}

export function extraRules(): ExtraRulesCheck {
  const i = vscode.workspace.getConfiguration('np6.classification').inspect<unknown>('extraRules');
  return checkExtraRules(i?.globalValue);
}
