// The staff app's phone pages.
import type { RouteDefinition } from '@solidjs/router';

export const phoneRoutes: RouteDefinition[] = [];
