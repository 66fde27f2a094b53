import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { Plugin } from 'graphql-yoga';

/** What the non-GraphQL routes need. */
export interface RouteOptions {
  /** Resolves when every dependency answers (`/readyz`). */
  readonly ready: () => Promise<void>;
  /** The built web app, served at `/` when present. */
  readonly webDistDir: string | null;
  readonly graphqlEndpoint: string;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
};

/**
 * `/healthz` (the process is up), `/readyz` (its dependencies answer), and `/`: the web app
 * when `webDistDir` holds a build (unknown paths fall back to its index.html), otherwise a
 * short page linking to GraphiQL. Everything under the GraphQL endpoint goes to yoga.
 */
export function useRoutes(options: RouteOptions): Plugin {
  const webRoot =
    options.webDistDir && existsSync(join(options.webDistDir, 'index.html'))
      ? normalize(options.webDistDir)
      : null;
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      const json = (status: number, body: unknown) =>
        new fetchAPI.Response(JSON.stringify(body), {
          status,
          headers: { 'content-type': 'application/json' },
        });
      if (url.pathname === options.graphqlEndpoint) return;
      if (url.pathname === '/healthz') return endResponse(json(200, { status: 'ok' }));
      if (url.pathname === '/readyz') {
        try {
          await options.ready();
          return endResponse(json(200, { status: 'ready' }));
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          return endResponse(json(503, { status: 'unavailable', reason }));
        }
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      if (!webRoot) {
        if (url.pathname !== '/') return;
        return endResponse(
          new fetchAPI.Response(landingPage(options.graphqlEndpoint), {
            headers: { 'content-type': 'text/html; charset=utf-8' },
          }),
        );
      }
      const file = staticFile(webRoot, url.pathname) ?? join(webRoot, 'index.html');
      const body = await readFile(file);
      return endResponse(
        new fetchAPI.Response(body, {
          headers: {
            'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
            // Vite fingerprints assets; index.html must be revalidated to pick new ones up.
            'cache-control': file.includes(`${sep}assets${sep}`)
              ? 'public, max-age=31536000, immutable'
              : 'no-cache',
          },
        }),
      );
    },
  };
}

/** The file under `root` for a URL path, or null (missing, a directory, or outside root). */
function staticFile(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null; // a malformed escape is just not a file
  }
  const file = normalize(join(root, decoded));
  if (!file.startsWith(root + sep)) return null;
  return existsSync(file) && statSync(file).isFile() ? file : null;
}

function landingPage(graphqlEndpoint: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Parley API</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem}</style>
</head>
<body>
<h1>Parley</h1>
<p>The real-time chat API is running. The web app is not built yet.</p>
<p><a href="${graphqlEndpoint}">Open GraphiQL</a> to explore the API; subscriptions work there too
(pass <code>{"authorization": "Bearer &lt;accessToken&gt;"}</code> as connection params).</p>
<p>Health: <a href="/healthz">/healthz</a> · Readiness: <a href="/readyz">/readyz</a></p>
</body>
</html>
`;
}
