// The integration API (/api/v1, API keys) and the admins' key management.
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';

export const integrationRoutes = new Hono<AppEnv>();
