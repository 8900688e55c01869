// The loyalty settings API as the staff app calls it: GET and PUT /api/loyalty/settings, each answering
// { settings }. Types come from the server, type-only.
import type { LoyaltySettings } from '../../../server/loyalty/settings.ts';
import { request } from '../request.ts';

export type { LoyaltySettings };

export const loyaltyApi = {
  settings: () => request<{ settings: LoyaltySettings }>('GET', '/api/loyalty/settings'),
  /** Admins and managers; the server checks every value and names the field of each problem. */
  saveSettings: (settings: LoyaltySettings) => request<{ settings: LoyaltySettings }>('PUT', '/api/loyalty/settings', settings),
};
