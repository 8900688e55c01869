// Kiosk rules with no I/O: whether a kiosk takes answers, and the address its poster points at.
import type { CampaignStatus } from '../campaigns/vocabulary.ts';

export type SurveyStatus = 'draft' | 'published' | 'closed';

/** open: taking answers; closed: it did and no longer does (410); unknown: nothing to show (404). */
export type KioskState = 'open' | 'closed' | 'unknown';

/**
 * A kiosk runs while its campaign runs and its survey is published. A campaign not launched yet shows
 * nothing, as if the link did not exist; a closed campaign or survey says so.
 */
export function kioskState(campaign: CampaignStatus, survey: SurveyStatus, hasVersion: boolean): KioskState {
  if (campaign === 'closed' || survey === 'closed') return 'closed';
  if (campaign !== 'running' || survey !== 'published' || !hasVersion) return 'unknown';
  return 'open';
}

/** The web version of the survey a poster's QR code opens; the location rides along as a hidden field. */
export function posterUrl(publicUrl: string, slug: string, location: string): string {
  const url = new URL(`s/${encodeURIComponent(slug)}`, publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`);
  if (location) url.searchParams.set('location', location);
  return url.href;
}

/**
 * A link as a person reads it on paper: letters beyond ASCII shown as themselves (`?location=前台`, not
 * `%E5%89%8D%E5%8F%B0`), as a browser's address bar shows them. Escapes of ASCII characters stay, so the
 * printed link typed back in opens the same address.
 */
export function readableUrl(href: string): string {
  return href.replace(/(?:%[89a-f][0-9a-f])+/gi, (bytes) => {
    try {
      return decodeURIComponent(bytes);
    } catch {
      return bytes;
    }
  });
}

/** Seconds a kiosk waits without a touch before a partly filled form starts over, when settings give none: the
 *  same as a new kiosk campaign gets (server/campaigns/settings.ts) and the README says. */
export const defaultIdleSeconds = 60;

/** The kiosk's idle time, kept within what makes sense on a device people walk up to. */
export function idleSecondsOf(settings: { idleSeconds?: number } | undefined): number {
  const seconds = settings?.idleSeconds;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return defaultIdleSeconds;
  return Math.min(3600, Math.max(3, Math.round(seconds)));
}

/** Start of the local day `now` falls in, as epoch milliseconds ("responses today"). */
export function startOfDay(now: Date): number {
  const day = new Date(now);
  day.setHours(0, 0, 0, 0);
  return day.getTime();
}
