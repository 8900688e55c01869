// The staff app's kiosk pages.
import type { RouteDefinition } from '@solidjs/router';

export const kioskRoutes: RouteDefinition[] = [];
