// The timeline page: one script and two style sheets, all from dist/ through the given URIs, under
// a strict CSP. Pure string building, shared by the panel and the browser tests (which serve the
// same page over loopback so the CSP they test is the one users get).

export interface TimelinePageUris {
  /** Origin(s) allowed for styles, fonts and images (`webview.cspSource`). */
  cspSource: string;
  script: string;
  style: string;
  codicons: string;
}

function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    "connect-src 'none'",
  ].join('; ');
}

/** `nonce` must be fresh, unpredictable (crypto) and base64/hex only. */
export function timelineHtml(u: TimelinePageUris, nonce: string): string {
  if (!/^[A-Za-z0-9+/=]{16,}$/.test(nonce)) throw new Error('The CSP nonce must be 16+ base64 characters.');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(u.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(u.codicons)}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${attr(u.style)}">
<title>NP6 timeline</title>
</head>
<body>
<div id="app" class="app" aria-busy="true"></div>
<script nonce="${nonce}" src="${attr(u.script)}"></script>
</body>
</html>`;
}
