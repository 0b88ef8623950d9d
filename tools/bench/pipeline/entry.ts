// What the pipeline benchmark's child process needs, bundled by esbuild into dist/bench/pipeline.cjs
// so plain node runs it (no TypeScript loader in the measured process).

export { Np6Client } from '../../../src/np6/client';
export { ResultStore } from '../../../src/core/resultStore';
export { windowedFetch } from '../../../src/core/windowedFetch';
export { exportedPart, writeExport } from '../../../src/core/exportFormat';
export { startSandbox, LARGE_CAMPAIGN } from '../../../src/demo/sandbox';
export { allEmailEvents } from '../../../src/np6/query';
