import type { Sandbox, SandboxOptions } from './types';

export function startSandbox(_o?: SandboxOptions): Promise<Sandbox> {
  return Promise.reject(new Error('The sandbox server is being written: not available yet.'));
}
