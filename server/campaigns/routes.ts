// /api/campaigns: campaigns, their invitations and funnel.
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';

export const campaignRoutes = new Hono<AppEnv>();
