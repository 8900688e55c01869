// The kiosk pages' typed calls to /api/kiosks.
import type { KioskPoster, KioskSummary } from '../../../server/kiosk/service.ts';
import { request } from '../request.ts';

export type { KioskPoster, KioskSummary };

export const kioskApi = {
  list: () => request<{ kiosks: KioskSummary[] }>('GET', '/api/kiosks'),
  poster: (campaignId: string) => request<KioskPoster>('GET', `/api/kiosks/${encodeURIComponent(campaignId)}/poster`),
};
