// Serves the built web app: hashed assets precompressed once, the public survey page with its data
// inlined (so the first question needs no second round trip), and the staff app at /app/*.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { Hono, type Context } from 'hono';
import type { AppEnv } from './env.ts';
import type { Locale, SurveyDefinition } from '../surveys/definition.ts';
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

/** Every file below root but the HTML pages, by URL path, compressed at the best ratio. */
export function loadAssets(root: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const file of walk(root)) {
    if (file.endsWith('.html')) continue;
    const type = contentTypes[extname(file)] ?? 'application/octet-stream';
    assets.set(`/${relative(root, file).split('\\').join('/')}`, compressAll(readFileSync(file), type));
  }
  return assets;
}

// Compressing every asset at the best ratio takes a moment, so a process does it once per build.
const builds = new Map<string, Build>();

function loadBuild(webRoot: string): Build {
  const stamp = statSync(join(webRoot, 'respond.html')).mtimeMs;
  const cached = builds.get(webRoot);
  if (cached?.stamp === stamp) return cached;
  const build = {
    stamp,
    assets: loadAssets(webRoot),
    respondHtml: readFileSync(join(webRoot, 'respond.html'), 'utf8'),
    staffHtml: compressAll(readFileSync(join(webRoot, 'index.html')), contentTypes['.html']!),
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

function publicPage(template: string, survey: PublicSurvey, locale: Locale, form: string) {
  const title = survey.state === 'open' ? survey.definition.title : survey.state === 'closed' ? survey.title : null;
  return template
    .replace(/<html lang="[^"]*"/, `<html lang="${locale}"`)
    .replace('<!--survey-title-->', escapeHtml(title ? title[locale] : locale === 'zh-CN' ? '问卷' : 'Survey'))
    // The browser replaces this markup rather than hydrating it, so hydration markers are dead weight.
    .replace('<div id="app">', `<div id="app">${form.replace(/ data-hk="[^"]*"/g, '').replace(/<!--[$/!]-->/g, '')}`)
    .replace('<!--survey-data-->', `<script id="survey-data" type="application/json">${scriptJson(survey)}</script>`);
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
  // A published version never changes, so its page in each language is rendered and compressed once.
  const openPages = new Map<string, Asset>();

  app.get('/s/:slug', async (c) => {
    const survey = await findPublicSurvey(c.var.db, c.req.param('slug'));
    const locale = localeOf(c);
    if (survey.state === 'open') {
      const key = `${survey.versionId}:${locale}`;
      let page = openPages.get(key);
      if (!page) {
        const form = (await renderer)?.renderOpenSurvey(survey.definition, locale) ?? '';
        page = compressAll(new TextEncoder().encode(publicPage(respondHtml, survey, locale, form)), contentTypes['.html']!);
        if (openPages.size >= 500) openPages.delete(openPages.keys().next().value!);
        openPages.set(key, page);
      }
      return send(c, page, 200, 'no-store');
    }
    const html = publicPage(respondHtml, survey, locale, '');
    return send(c, { type: contentTypes['.html']!, raw: new TextEncoder().encode(html) }, survey.state === 'closed' ? 410 : 404, 'no-store');
  });
  // A personal link: the campaign's version and the invitation's token. The rendered form is shared by
  // every link to the version, the page around it is not (it carries the token).
  const personalForms = new Map<string, string>();
  app.get('/i/:token', async (c) => {
    const survey = await findPersonalSurvey(c.var.db, c.req.param('token'));
    if (survey.state !== 'open') {
      const html = publicPage(respondHtml, survey, localeOf(c), '');
      return send(c, { type: contentTypes['.html']!, raw: new TextEncoder().encode(html) }, survey.state === 'closed' ? 410 : 404, 'no-store');
    }
    const locale = survey.invitation.locale;
    let form = '';
    if (!survey.invitation.answered) {
      const key = `${survey.versionId}:${locale}`;
      form = personalForms.get(key) ?? (await renderer)?.renderOpenSurvey(survey.definition, locale) ?? '';
      if (personalForms.size >= 500) personalForms.delete(personalForms.keys().next().value!);
      personalForms.set(key, form);
    }
    const html = publicPage(respondHtml, survey, locale, form);
    return send(c, { type: contentTypes['.html']!, raw: new TextEncoder().encode(html) }, 200, 'no-store, private');
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
