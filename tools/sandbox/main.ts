// `npm run sandbox` (placeholder until the sandbox lands).
process.exitCode = 0;
