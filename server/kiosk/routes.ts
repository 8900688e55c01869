// Kiosks: the answers a kiosk sends (API) and the kiosk page itself.
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';

export const kioskRoutes = new Hono<AppEnv>();

/** Pages outside /api: the kiosk page and its service worker. */
export function kioskPages(_webRoot: string) {
  return new Hono<AppEnv>();
}
