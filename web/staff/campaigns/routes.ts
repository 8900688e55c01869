// The staff app's campaign pages.
import type { RouteDefinition } from '@solidjs/router';

export const campaignRoutes: RouteDefinition[] = [];
