// The classification of a result's hits, shared by the Statistics panel, the timeline (each hit's
// class and the Humans only switch) and the CSV export's `class` column: one cached computation
// per result state, under the shipped rules and the user's extra rules. A bottom-layer service
// (the stats and timeline folders and exportResult.ts all use it).
//
// The extra rules are read from the user (or remote machine) settings only: a workspace cannot add
// rules that would hide clicks or opens (the setting is machine-scoped; inspect() makes that hold
// everywhere).
import * as vscode from 'vscode';
import { ClassCache } from '../core/classify/classCache';
import type { ClassifyResult } from '../core/classify/classify';
import { checkExtraRules, type ExtraRulesCheck } from '../core/classify/rules';
import type { EventIndex } from '../core/eventIndex';
import { EventLoopSlice } from '../np6/eventLoopSlice';

export const EXTRA_RULES_SETTING = 'np6.classification.extraRules';

export function extraRules(): ExtraRulesCheck {
  const i = vscode.workspace.getConfiguration('np6.classification').inspect<unknown>('extraRules');
  return checkExtraRules(i?.globalValue);
}

const cache = new ClassCache();

/** The classes of `index`'s rows, computed a slice at a time (the host's event loop stays free). */
export function resultClasses(index: EventIndex): Promise<ClassifyResult> {
  return cache.classesOf(index, extraRules().rules, new EventLoopSlice());
}
