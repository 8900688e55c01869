// Postal questionnaires: print-ready letters and keying in returned forms.
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';

export const postalRoutes = new Hono<AppEnv>();
