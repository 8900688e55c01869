// Serves the built SurveyJS page exactly the way server/web.ts serves ours, with the same functions: assets
// precompressed once at the best ratio, the page's HTML with the survey JSON inlined, compressed once.
// Also serves the floor of the page-load figure: a trivial page of two inputs and nothing else.
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { compressAll, contentTypes, escapeHtml, loadAssets, scriptJson, send } from '../server/web.ts';

export interface StaticSite {
  url: string;
  close: () => Promise<void>;
}

/** Serves `root` on 127.0.0.1; GET / is index.html with `surveyJson` inlined as <script id="survey-json">. */
export async function serveSurveyJsPage(root: string, surveyJson: unknown, title: string): Promise<StaticSite> {
  const assets = loadAssets(root);
  const html = readFileSync(join(root, 'index.html'), 'utf8')
    .replace('<!--survey-title-->', escapeHtml(title))
    .replace('<!--survey-json-->', `<script id="survey-json" type="application/json">${scriptJson(surveyJson)}</script>`);
  const page = compressAll(new TextEncoder().encode(html), contentTypes['.html']!);
  return listen(
    new Hono()
      .get('/', (c) => send(c, page, 200, 'no-store'))
      .get('*', (c) => {
        const asset = assets.get(c.req.path);
        return asset ? send(c, asset, 200, 'public, max-age=31536000, immutable') : c.notFound();
      }),
  );
}

/** The least a page with a question can be: two inputs, no style, no script. What the browser alone costs. */
export const trivialPageHtml = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Two inputs</title></head>
<body><form><p><label>Name <input name="name"></label></p><p><label>Email <input name="email" type="email"></label></p></form></body>
</html>
`;

/** Serves the trivial page at / on 127.0.0.1, the same way as the other pages. */
export async function serveTrivialPage(): Promise<StaticSite> {
  const page = compressAll(new TextEncoder().encode(trivialPageHtml), contentTypes['.html']!);
  return listen(new Hono().get('/', (c) => send(c, page, 200, 'no-store')));
}

async function listen(app: Hono): Promise<StaticSite> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const listening = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
