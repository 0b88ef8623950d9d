// The text of `np6-events --help`: every flag, the key, the formats and the exit codes.

export const HELP = `np6-events: export the events of an NP6 campaign as JSON.

Usage:
  np6-events events --campaign ID [options]
  np6-events events --resume FILE [--out FILE|-] [--base-url URL] [options]
  np6-events --help | --version

The API key is read from the environment variable NP6_API_KEY, never from a flag
(a flag would end up in your shell history and in the process list):
  export NP6_API_KEY=...        (PowerShell: $env:NP6_API_KEY = "...")

What to fetch:
  --campaign ID          campaign id (a uuid). Required unless --resume is given. Ids with
                         ".", "..", "/", "\\", "?", "#", "%", spaces or control characters, or
                         over 256 characters, are refused (exit 2) before any request.
  --items-endpoint       use POST /campaigns/{id}/items/events (needs --items);
                         default POST /campaigns/{id}/events.
  --items A,B            item (action) ids to keep, comma separated.
  --channel NAME         channel (default email).
  --types T,T            event types: execution, activation, hit, bounce, cancellation,
                         complaint, ... (default: every documented email type,
                         hits with all subtypes).
  --subtypes S,S         hit subtypes: open, form, unsubscribe, redirection, mirror
                         (only with hit events).
  --start T              first instant, inclusive.
  --end T                last instant, exclusive.
                         T is ISO 8601 (2024-05-01, 2024-05-01T09:00, 2024-05-01T09:00:00Z,
                         2024-05-01T09:00+02:00), epoch milliseconds, "now", or an offset from
                         now: -2h, -7d, -30m, +1d (units s, m, h, d, w). A date or date-time
                         without an offset is read in --tz.
  --tz ZONE              time zone for dates without an offset: UTC (default), local, or an
                         IANA name like Europe/Paris.
  --sort asc|desc|none   order asked of NP6 (default asc). Without a sort NP6 may return the
                         events in a different order on each request.

Large campaigns:
  --window DURATION      fetch the range in consecutive windows of about this length
                         (15m, 1h, 6h, 1d; adapted to the volume), one request at a time.
                         Needs --start. A window that still fails after retries is left out and
                         listed in "missing" of the export; the run exits 3. The events of all
                         windows are written in time order, so --sort desc is refused here.
  --resume FILE          FILE is an earlier export with "complete": false, or the FILE.partial
                         of a partial array/ndjson run (its sidecar FILE.partial.json says what
                         is missing). Fetches only the "missing" windows (query and dates come
                         from the file) and writes one merged result, de-duplicated by event id,
                         in the same format, to --out (default: the export itself, replaced
                         atomically; for FILE.partial, FILE, and the .partial pair is removed
                         once complete). The body is checked, not only the metadata: events are
                         counted against "count" and the end of the document must be there. A
                         damaged or cut file keeps its readable events and the whole range is
                         fetched again; it is never taken for complete.

Output:
  --format F             export (default): one JSON document
                           {"format":"np6-events/1","query":{...},"fetchedAt":"<ISO>",
                            "complete":true,"count":N,"missing":[...],"error":{...},"events":[...]}
                           (keys in this order; "error" only when there is one; one event a line);
                         array: exactly the API's JSON array; ndjson: one event a line;
                         csv: one row per event (time UTC, type, subtype, item, recipient, link,
                         client, device, id), RFC 4180, cells that a spreadsheet would run as a
                         formula (= + - @ tab CR first) prefixed with '.
  --bom                  with --format csv: start the file with a UTF-8 byte order mark (Excel).
  --out FILE|-           write to FILE (default -, standard output). FILE is written atomically:
                         a temporary file in the same folder, renamed when done, so an existing
                         FILE is never left half-written, and it keeps its permissions. FILE must
                         be a regular file or a new name: a folder, a FIFO, a device, a socket
                         or a symbolic link is refused (exit 2, nothing requested).
                         Partial array/ndjson runs: array and ndjson have no room to say a result
                         is incomplete, so a partial run writes FILE.partial and a sidecar
                         FILE.partial.json ("complete": false, "missing": [...]) and leaves FILE
                         as it was; --resume FILE.partial completes it. (To standard output, only
                         the exit code and stderr say so.)
  --allow-partial        write a partial array/ndjson run to FILE itself, without the sidecar
                         (the exit code still says 3).

Connection:
  --base-url URL         NP6 API base URL (default https://api-cm.np6.com). Must be https,
                         except on loopback (127.0.0.1, localhost, ::1) for a local sandbox.
  --timeout SECONDS      longest wait for the answer to start and between two parts of it
                         (1 to 86400, default 60). 429 and 503 answers are retried with backoff.
  --retries N            retries of 429, 503 and failed connections (0 to 10, default 4).
  --deadline DURATION    longest one request may take from start to last byte (1s to 7d,
                         default 30m); beyond it the answer is cut and what arrived is kept.
  --min-rate BYTES       lowest average speed of an answer, in bytes per second, checked after its
                         first 30 s; a slower answer is cut and what arrived is kept (0 to
                         1000000000, default 1024; 0 turns the check off).
  --max-element-mb MB    largest single event accepted, in MiB (1 to 1024, default 16); a larger
                         one makes the answer malformed, the events before it are kept.
  --verbose              log each HTTP request (path, status, duration, request id) to stderr.

Progress goes to stderr when stderr is a terminal. Errors go to stderr and say what to do. The key
never appears in a message, log line or file metadata np6-events prints or writes, in any encoding
(raw, URL-encoded, JSON-escaped, HTML-escaped, base64); events are written exactly as NP6 sent them. Temporary files (.FILE.<pid>.<hex>.tmp) and the temporary
folder (np6-events-<pid>-*) are removed on every exit; ones left by a killed run are removed by the
next run once they are an hour old.

Exit codes:
  0    complete: every event of the query was written.
  1    API or network error before any event (bad key, unknown campaign, unreachable, ...):
       nothing was written, an existing --out FILE is untouched.
  2    usage error (bad flag or value): nothing was requested.
  3    partial: the answer broke after some events, or windows are missing. What arrived is
       written; with --format export the document says "complete": false and lists "missing"
       (use --resume FILE to fetch the rest). array/ndjson: the events that arrived are in
       FILE.partial, what is missing in FILE.partial.json (FILE with --allow-partial).
  130  interrupted with Ctrl+C (SIGINT): as 3, what arrived is written and marked partial.
       Press Ctrl+C twice to quit at once without writing.
  143  stopped with SIGTERM, 129  hung up (SIGHUP): as 130.
`;
