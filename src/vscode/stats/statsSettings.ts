// The settings of the statistics: masking, and the extra classification rules (read, with the
// classification they feed, in ../resultClasses.ts: the timeline and exports classify too).
import * as vscode from 'vscode';

export const MASK_SETTING = 'np6.maskPersonalData';
export { EXTRA_RULES_SETTING, extraRules } from '../resultClasses';

// Read in one place for every surface that masks (timeline, exports, statistics).
export { maskPersonalData } from '../masking';

export async function setMaskPersonalData(on: boolean): Promise<void> {
  await vscode.workspace
    .getConfiguration('np6')
    .update('maskPersonalData', on, vscode.ConfigurationTarget.Global);
}
