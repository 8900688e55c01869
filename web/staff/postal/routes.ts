// The staff app's postal pages.
import type { RouteDefinition } from '@solidjs/router';

export const postalRoutes: RouteDefinition[] = [];
