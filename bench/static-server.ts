// Serves the built SurveyJS page the way server/web.ts serves ours: assets precompressed once with
// brotli q11 (gzip 9 as fallback), the page's HTML with the survey JSON inlined and compressed per request.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

interface Asset {
  type: string;
  raw: Buffer;
  gzip: Buffer;
  br: Buffer;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

function scriptJson(value: unknown) {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export interface StaticSite {
  url: string;
  close: () => Promise<void>;
}

/** Serves `root` on 127.0.0.1; GET / is index.html with `surveyJson` inlined as <script id="survey-json">. */
export async function serveSurveyJsPage(root: string, surveyJson: unknown, title: string): Promise<StaticSite> {
  const assets = new Map<string, Asset>();
  for (const file of walk(root)) {
    if (file.endsWith('.html')) continue;
    const raw = readFileSync(file);
    assets.set(`/${relative(root, file).split('\\').join('/')}`, {
      type: contentTypes[extname(file)] ?? 'application/octet-stream',
      raw,
      gzip: gzipSync(raw, { level: 9 }),
      br: brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    });
  }
  const html = readFileSync(join(root, 'index.html'), 'utf8')
    .replace('<!--survey-title-->', title.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`))
    .replace('<!--survey-json-->', `<script id="survey-json" type="application/json">${scriptJson(surveyJson)}</script>`);
  const page = Buffer.from(html);

  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    const accepted = String(request.headers['accept-encoding'] ?? '');
    const asset = path === '/' ? undefined : assets.get(path);
    if (path !== '/' && !asset) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const headers: Record<string, string> = {
      'content-type': asset?.type ?? contentTypes['.html']!,
      'cache-control': asset ? 'public, max-age=31536000, immutable' : 'no-store',
      vary: 'accept-encoding',
    };
    let body: Buffer = asset?.raw ?? page;
    // The HTML is compressed per request at the quality our server uses for its dynamic page.
    if (/\bbr\b/.test(accepted)) {
      body = asset?.br ?? brotliCompressSync(page, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
      headers['content-encoding'] = 'br';
    } else if (/\bgzip\b/.test(accepted)) {
      body = asset?.gzip ?? gzipSync(page, { level: 6 });
      headers['content-encoding'] = 'gzip';
    }
    headers['content-length'] = String(body.length);
    response.writeHead(200, headers).end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
