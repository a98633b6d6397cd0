/** The page frame: one stylesheet and one deferred script, both served by the app. */
import { html } from 'hono/html';

export function layout(title: string, body: unknown) {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${title} · OSDC failures</title>
<link rel="stylesheet" href="/assets/dashboard.css">
<script src="/assets/dashboard.js" defer></script>
</head>
<body>
<header class="top"><h1><a href="/">OSDC failures</a></h1><span class="sub">repeated CI failures by signature</span></header>
<main>
${body}
</main>
</body>
</html>`;
}
