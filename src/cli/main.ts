// np6-events command-line tool (placeholder until the CLI lands).
process.exitCode = 0;
