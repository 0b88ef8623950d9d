// The limits of the extension's numeric settings, checked before use (package.json declares the
// same minimum/maximum for the Settings editor, but a settings.json can hold anything). `userOnly`
// settings are machine-scoped: only the user's value is read, never a workspace's.

export const NUMBER_SETTINGS = {
  requestTimeoutSeconds: { def: 60, min: 1, max: 3600, userOnly: true },
  'export.maxDocumentSizeMB': { def: 50, min: 1, max: 2048, userOnly: false },
  'results.maxStorageMB': { def: 1024, min: 16, max: 1048576, userOnly: true },
  'limits.maxEventSizeMB': { def: 16, min: 1, max: 1024, userOnly: true },
  'limits.requestDeadlineMinutes': { def: 30, min: 1, max: 10080, userOnly: true },
  'limits.minThroughputKBps': { def: 1, min: 0, max: 1048576, userOnly: true },
} as const;
export type NumberSetting = keyof typeof NUMBER_SETTINGS;

/**
 * A numeric setting's value, or its default (with a problem) when it is not a finite number within
 * its range. `raw` is what the user (or, for settings a workspace may set, the workspace) gave.
 */
export function checkNumberSetting(key: NumberSetting, raw: unknown): { value: number; problem?: string } {
  const { def, min, max } = NUMBER_SETTINGS[key];
  if (raw === undefined) return { value: def };
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < min || raw > max) {
    return {
      value: def,
      problem: `np6.${key} must be a number from ${min} to ${max}; using the default ${def}.`,
    };
  }
  return { value: raw };
}
