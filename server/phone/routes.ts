// /api/calls: interviewers' call lists and call outcomes.
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';

export const phoneRoutes = new Hono<AppEnv>();
