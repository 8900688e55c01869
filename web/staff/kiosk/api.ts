// The kiosk pages' typed calls to /api/kiosks.
import type { kioskRoutes } from '../../../server/kiosk/routes.ts';
import { request, type Answer } from '../request.ts';

type Routes = ReturnType<typeof kioskRoutes>;
export type KioskSummary = Answer<Routes, '/kiosks', '$get'>['kiosks'][number];
export type KioskPoster = Answer<Routes, '/kiosks/:campaignId/poster', '$get'>;

export const kioskApi = {
  list: () => request<Answer<Routes, '/kiosks', '$get'>>('GET', '/api/kiosks'),
  poster: (campaignId: string) => request<KioskPoster>('GET', `/api/kiosks/${encodeURIComponent(campaignId)}/poster`),
};
