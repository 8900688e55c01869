// The staff app's integrations pages.
import type { RouteDefinition } from '@solidjs/router';

export const integrationsRoutes: RouteDefinition[] = [];
