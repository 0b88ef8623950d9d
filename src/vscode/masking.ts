// Masking of personal data (np6.maskPersonalData) on the host: whether it is on, and the masker of
// a result while it is. One masker per result (its salt kept in the result's summary), so the
// timeline, the detail pane, copies, statistics and exports give one recipient the same pseudonym.
import * as vscode from 'vscode';
import { maskerOf, type MaskSaltSource, type Masker } from '../core/mask';

export function maskPersonalData(): boolean {
  return vscode.workspace.getConfiguration('np6').get<boolean>('maskPersonalData', false) === true;
}

/** The result's masker while np6.maskPersonalData is on, else undefined. */
export function activeMasker(result: MaskSaltSource): Masker | undefined {
  return maskPersonalData() ? maskerOf(result) : undefined;
}
