// Getting a result out: as an untitled JSON document (bounded by np6.export.maxDocumentSizeMB) or as
// a file in one of the CLI's formats, streamed from disk and written atomically.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import * as vscode from 'vscode';
import { writeFileAtomic } from '../core/atomicFile';
import {
  EXPORT_FORMATS,
  exportedPart,
  writeExport,
  type ExportFormat,
  type VisibleSelection,
} from '../core/exportFormat';
import { classesInExportOrder } from '../core/classify/exportClasses';
import type { ResultStore } from '../core/resultStore';
import { activeMasker } from './masking';
import { resultClasses } from './resultClasses';
import { readSettings } from './settings';
import { showWarningMessage } from './untrustedUi';

export type { VisibleSelection } from '../core/exportFormat';

export interface ExportArgs {
  /** Target file (a file: Uri or an absolute path). Without it, a save dialog asks. */
  target?: vscode.Uri | string;
  format?: ExportFormat;
  /** `csv` only: start the file with a UTF-8 byte order mark (Excel on Windows needs it for UTF-8). */
  bom?: boolean;
  /** Needed to replace an existing file given as an argument (the dialog asks for itself). */
  overwrite?: boolean;
  /**
   * Only part of the result: these event ids, or (from the timeline) the arrival indices of the
   * events its filters and zoom show, with how the view was cut (written as the export's `subset`).
   */
  visibleIds?: readonly string[] | VisibleSelection;
}

class TooLargeError extends Error {}

/** Collects what writeExport writes, refusing to grow past `limit` bytes. */
class BoundedText extends Writable {
  private chunks: string[] = [];
  private size = 0;
  constructor(private readonly limit: number) {
    super({ decodeStrings: false });
  }
  override _write(chunk: string | Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    this.size += Buffer.byteLength(text);
    if (this.size > this.limit) return cb(new TooLargeError('too large'));
    this.chunks.push(text);
    cb();
  }
  get text(): string {
    return this.chunks.join('');
  }
}

/**
 * Opens the result as an untitled JSON document (export format). Over the size limit it says why and
 * offers to save it to a file instead. Returns the document, or undefined when refused.
 */
export async function openAsJsonDocument(
  store: ResultStore,
  saveInstead: () => Promise<void>,
): Promise<vscode.TextDocument | undefined> {
  const limit = readSettings().maxDocumentBytes;
  const mb = Math.round(limit / 1024 / 1024);
  const refuse = (): undefined => {
    const save = 'Save to File...';
    // Not awaited: the command ends now (scripts get undefined); the offer stays in the notification.
    void showWarningMessage(
      `NP6: this result (${store.summary.count} events, about ${Math.ceil(store.summary.bytes / 1024 / 1024)} MB) is larger than np6.export.maxDocumentSizeMB (${mb} MB), so it is not opened as a document. Save it to a file instead, or raise the setting.`,
      save,
    ).then((choice) => (choice === save ? saveInstead() : undefined));
    return undefined;
  };
  if (store.summary.bytes > limit) return refuse();
  const out = new BoundedText(limit);
  const hold = store.hold();
  try {
    const { meta, records } = exportedPart(store, undefined, activeMasker(store));
    await writeExport(out, 'export', meta, records);
  } catch (e) {
    if (e instanceof TooLargeError) return refuse();
    throw e;
  } finally {
    hold.dispose();
  }
  const doc = await vscode.workspace.openTextDocument({ language: 'json', content: out.text });
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

/**
 * The `class` column of a CSV export: the result's classes (shared with the timeline and the
 * statistics) in the order the rows are written. Only once the fetch is over (the timeline never
 * shows a class before either), and not for a part given by event ids (the index keeps no ids).
 */
async function csvClasses(
  store: ResultStore,
  visible: ExportArgs['visibleIds'],
): Promise<{ classes?: Uint8Array }> {
  if (store.summary.finishedAt === undefined || Array.isArray(visible)) return {};
  const { classes } = await resultClasses(store.index);
  const only = visible === undefined ? undefined : (visible as VisibleSelection).indices;
  return { classes: classesInExportOrder(classes, store.index, only) };
}

/** The quick pick's second CSV entry: CSV with a UTF-8 byte order mark. */
const CSV_WITH_BOM = 'csv with BOM';

function formatOf(uri: vscode.Uri): ExportFormat {
  const p = uri.path.toLowerCase();
  if (p.endsWith('.ndjson') || p.endsWith('.jsonl')) return 'ndjson';
  if (p.endsWith('.csv')) return 'csv';
  return 'export';
}

function toUri(target: vscode.Uri | string): vscode.Uri {
  if (typeof target !== 'string') return target;
  if (!path.isAbsolute(target)) {
    throw new Error(`Give the export target as an absolute path, not "${target}".`);
  }
  return vscode.Uri.file(target);
}

/**
 * Writes the result to a file. Returns the file written, or undefined when the user cancelled.
 * Throws with a message saying what to do for a bad target.
 */
export async function exportToFile(
  store: ResultStore,
  args: ExportArgs,
): Promise<{ uri: vscode.Uri; count: number; bytes: number } | undefined> {
  let uri: vscode.Uri;
  let format = args.format;
  let bom = args.bom === true;
  if (format !== undefined && !EXPORT_FORMATS.includes(format)) {
    throw new Error(`Unknown export format "${String(format)}": use export, array, ndjson or csv.`);
  }
  if (args.target !== undefined) {
    uri = toUri(args.target);
    if (uri.scheme !== 'file') {
      throw new Error(`Export writes local files only; "${uri.toString()}" is not a file: URI.`);
    }
    if (existsSync(uri.fsPath) && !args.overwrite) {
      throw new Error(`${uri.fsPath} already exists: choose another file, or pass "overwrite": true.`);
    }
  } else {
    const picked = await vscode.window.showSaveDialog({
      title: 'Export NP6 events',
      saveLabel: 'Export',
      defaultUri: vscode.Uri.joinPath(
        vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir()),
        `np6-${store.summary.id}.json`,
      ),
      filters: {
        'NP6 export (JSON with query)': ['json'],
        'JSON array': ['json'],
        'NDJSON (one event a line)': ['ndjson'],
        'CSV (one row per event, for spreadsheets)': ['csv'],
      },
    });
    if (!picked) return undefined;
    uri = picked;
    if (format === undefined) {
      const guess = formatOf(uri);
      const items: vscode.QuickPickItem[] = [
        { label: 'export', description: 'JSON with the query, completeness and the events' },
        { label: 'array', description: 'exactly the API’s array of events' },
        { label: 'ndjson', description: 'one event a line' },
        { label: 'csv', description: 'one row per event (time, type, item, recipient, link, ...), UTF-8' },
        { label: CSV_WITH_BOM, description: 'the same, starting with a byte order mark (Excel on Windows)' },
      ];
      // The format the file name suggests comes first.
      const choice = await vscode.window.showQuickPick(
        [...items.filter((i) => i.label === guess), ...items.filter((i) => i.label !== guess)],
        { title: 'Export format', placeHolder: 'Format of the file' },
      );
      if (!choice) return undefined;
      bom = choice.label === CSV_WITH_BOM;
      format = bom ? 'csv' : (choice.label as ExportFormat);
    }
  }
  const fmt = format ?? formatOf(uri);
  let written = { count: 0, bytes: 0 };
  // Held while it is written: the storage budget must not evict a result being exported.
  const hold = store.hold();
  try {
    await writeFileAtomic(uri.fsPath, async (out) => {
      const { meta, records } = exportedPart(store, args.visibleIds, activeMasker(store));
      const classes = fmt === 'csv' ? await csvClasses(store, args.visibleIds) : {};
      written = await writeExport(out, fmt, meta, records, undefined, {
        bom: fmt === 'csv' && bom,
        ...classes,
      });
    });
  } finally {
    hold.dispose();
  }
  return { uri, ...written };
}
