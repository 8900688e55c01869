// Serves the built web app: hashed assets precompressed once, the public survey page with its data and
// styles inlined (so the first question shows from the first response alone, with no second round trip),
// and the staff app at /app/*.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { Hono, type Context } from 'hono';
import type { AppEnv } from './env.ts';
import type { Locale, LocalizedText, SurveyDefinition } from '../surveys/definition.ts';
import { localeOf } from './http.ts';
import { findPublicSurvey, type PublicSurvey } from './responses/service.ts';
import { findPersonalSurvey } from './campaigns/service.ts';

export const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
};

export interface Asset {
  type: string;
  raw: Uint8Array;
  gzip: Uint8Array;
  br: Uint8Array;
}

export function compressAll(raw: Uint8Array, type: string): Asset {
  return {
    type,
    raw,
    gzip: gzipSync(raw, { level: 9 }),
    br: brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
  };
}

export function send(c: Context, asset: Pick<Asset, 'type' | 'raw'> & Partial<Asset>, status = 200, cache = 'no-cache') {
  const accepted = c.req.header('accept-encoding') ?? '';
  const headers: Record<string, string> = { 'content-type': asset.type, 'cache-control': cache, vary: 'accept-encoding' };
  let body = asset.raw;
  if (/\bbr\b/.test(accepted)) {
    body = asset.br ?? brotliCompressSync(asset.raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
    headers['content-encoding'] = 'br';
  } else if (/\bgzip\b/.test(accepted)) {
    body = asset.gzip ?? gzipSync(asset.raw, { level: 6 });
    headers['content-encoding'] = 'gzip';
  }
  return c.body(body as Uint8Array<ArrayBuffer>, status as 200, headers);
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** JSON safe to place inside a <script> element. */
export function scriptJson(value: unknown) {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function escapeHtml(text: string) {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

interface Build {
  stamp: number;
  assets: Map<string, Asset>;
  respondHtml: string;
  staffHtml: Asset;
}

/**
 * A file with its compressed forms: those the build wrote beside it (file.br and file.gz, scripts/build.mjs)
 * when they are at least as new as the file, otherwise compressed now.
 */
export function compressFile(file: string, type: string): Asset {
  const raw = readFileSync(file);
  const modified = statSync(file).mtimeMs;
  const stored = (suffix: string) => (existsSync(file + suffix) && statSync(file + suffix).mtimeMs >= modified ? readFileSync(file + suffix) : undefined);
  const br = stored('.br');
  const gzip = stored('.gz');
  return br && gzip ? { type, raw, gzip, br } : compressAll(raw, type);
}

/** Every file below root but the HTML pages and the build's compressed copies, by URL path, compressed at the best ratio. */
export function loadAssets(root: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const files = walk(root);
  const all = new Set(files);
  for (const file of files) {
    if (file.endsWith('.html') || (/\.(br|gz)$/.test(file) && all.has(file.slice(0, -3)))) continue;
    const type = contentTypes[extname(file)] ?? 'application/octet-stream';
    assets.set(`/${relative(root, file).split('\\').join('/')}`, compressFile(file, type));
  }
  return assets;
}

/**
 * The public page's template, made to show its first screen from the first response alone: each stylesheet
 * the build links goes inline (the page's CSS is a few kB), and the module script moves to the end of the
 * body, so nothing the browser has to fetch stands before the first question. The script still runs after
 * the page is parsed, as a module does anywhere.
 */
export function firstResponseOnly(html: string, assets: Map<string, Asset>): string {
  const scripts: string[] = [];
  return html
    .replace(/<link rel="stylesheet"[^>]*\bhref="([^"]+)"[^>]*>/g, (tag, href: string) => {
      const css = assets.get(href);
      const text = css && new TextDecoder().decode(css.raw);
      // A stylesheet that could close the <style> element early stays a link.
      return text === undefined || /<\/style/i.test(text) ? tag : `<style>${text.trim()}</style>`;
    })
    .replace(/\s*<script type="module"[^>]*><\/script>/g, (tag) => {
      scripts.push(tag.trim());
      return '';
    })
    .replace('</body>', `  ${scripts.join('\n    ')}\n  </body>`);
}

// Compressing every asset at the best ratio takes a moment, so a process does it once per build.
const builds = new Map<string, Build>();

function loadBuild(webRoot: string): Build {
  const stamp = statSync(join(webRoot, 'respond.html')).mtimeMs;
  const cached = builds.get(webRoot);
  if (cached?.stamp === stamp) return cached;
  const assets = loadAssets(webRoot);
  const build = {
    stamp,
    assets,
    respondHtml: firstResponseOnly(readFileSync(join(webRoot, 'respond.html'), 'utf8'), assets),
    staffHtml: compressFile(join(webRoot, 'index.html'), contentTypes['.html']!),
  };
  builds.set(webRoot, build);
  return build;
}

interface Renderer {
  renderOpenSurvey(definition: SurveyDefinition, locale: Locale): string;
}

const renderers = new Map<string, Promise<Renderer | null>>();

/** The server build of the public form (web/respond/render.tsx); without it the page renders in the browser only. */
function loadRenderer(path: string): Promise<Renderer | null> {
  let renderer = renderers.get(path);
  if (!renderer) {
    renderer = existsSync(path) ? (import(pathToFileURL(path).href) as Promise<Renderer>) : Promise.resolve(null);
    renderers.set(path, renderer);
  }
  return renderer;
}

/** What a survey page embeds, as far as the page around the form needs it: the title. */
export type SurveyPageData =
  | { state: 'open'; definition: { title: LocalizedText } }
  | { state: 'closed'; title: LocalizedText }
  | { state: 'unknown' };

/** A survey page (/s/, /i/, /k/) from its template: language, title, the server-rendered form and the data. */
export function surveyPage(template: string, survey: SurveyPageData, locale: Locale, form = '', fallbackTitle = { 'zh-CN': '问卷', en: 'Survey' }) {
  const title = survey.state === 'open' ? survey.definition.title : survey.state === 'closed' ? survey.title : null;
  return template
    .replace(/<html lang="[^"]*"/, `<html lang="${locale}"`)
    .replace('<!--survey-title-->', escapeHtml(title ? title[locale] : fallbackTitle[locale]))
    // The browser replaces this markup rather than hydrating it, so hydration markers are dead weight.
    .replace('<div id="app">', `<div id="app">${form.replace(/ data-hk="[^"]*"/g, '').replace(/<!--[$/!]-->/g, '')}`)
    .replace('<!--survey-data-->', `<script id="survey-data" type="application/json">${scriptJson(survey)}</script>`);
}

/** An HTML page made for this request, compressed on the way out. */
export function sendHtml(c: Context, html: string, status: number, cache: string) {
  return send(c, { type: contentTypes['.html']!, raw: new TextEncoder().encode(html) }, status, cache);
}

/** A bounded cache: the oldest entry goes once it holds `limit`. */
function remember<T>(cache: Map<string, T>, key: string, make: () => T, limit = 500): T {
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const made = make();
  if (cache.size >= limit) cache.delete(cache.keys().next().value!);
  cache.set(key, made);
  return made;
}

export function webRoutes(webRoot: string) {
  const app = new Hono<AppEnv>();
  if (!existsSync(join(webRoot, 'respond.html'))) {
    app.get('*', (c) => c.text('The web app is not built. Run "npm run build" (npm start does it for you).', 503));
    return app;
  }
  const { assets, respondHtml, staffHtml } = loadBuild(webRoot);

  app.get('/assets/*', (c) => {
    const asset = assets.get(c.req.path);
    return asset ? send(c, asset, 200, 'public, max-age=31536000, immutable') : c.notFound();
  });
  const renderer = loadRenderer(resolve(webRoot, '../ssr/render.js'));
  // A published version never changes: its form in each language is rendered once, shared by open and
  // personal links, and its open page is compressed once.
  const forms = new Map<string, string>();
  const openPages = new Map<string, Asset>();
  const formOf = async (versionId: string, definition: SurveyDefinition, locale: Locale) => {
    const rendering = await renderer;
    return remember(forms, `${versionId}:${locale}`, () => rendering?.renderOpenSurvey(definition, locale) ?? '');
  };
  const notOpen = (c: Context, survey: Exclude<PublicSurvey, { state: 'open' }>) =>
    sendHtml(c, surveyPage(respondHtml, survey, localeOf(c)), survey.state === 'closed' ? 410 : 404, 'no-store');

  app.get('/s/:slug', async (c) => {
    const survey = await findPublicSurvey(c.var.db, c.req.param('slug'));
    if (survey.state !== 'open') return notOpen(c, survey);
    const locale = localeOf(c);
    const key = `${survey.versionId}:${locale}`;
    let page = openPages.get(key);
    if (!page) {
      const form = await formOf(survey.versionId, survey.definition, locale);
      page = remember(openPages, key, () => compressAll(new TextEncoder().encode(surveyPage(respondHtml, survey, locale, form)), contentTypes['.html']!));
    }
    return send(c, page, 200, 'no-store');
  });
  // A personal link: the campaign's version and the invitation's token; the page around the shared form
  // carries the token, so it is made for each request.
  app.get('/i/:token', async (c) => {
    const survey = await findPersonalSurvey(c.var.db, c.req.param('token'));
    if (survey.state !== 'open') return notOpen(c, survey);
    const locale = survey.invitation.locale;
    const form = survey.invitation.answered ? '' : await formOf(survey.versionId, survey.definition, locale);
    return sendHtml(c, surveyPage(respondHtml, survey, locale, form), 200, 'no-store, private');
  });
  app.get('/', (c) => c.redirect('/app/'));
  app.get('/app', (c) => c.redirect('/app/'));
  app.get('/app/*', (c) => send(c, staffHtml, 200, 'no-store'));
  app.get('*', (c) => {
    const asset = assets.get(c.req.path);
    return asset ? send(c, asset, 200, 'public, max-age=3600') : c.notFound();
  });
  return app;
}
