// What every request handler can reach through the context.
import type { Config } from './config.ts';
import type { Db } from './db/client.ts';
import type { StaffUser } from './accounts/service.ts';

export type AppEnv = {
  Variables: {
    db: Db;
    config: Config;
    user: StaffUser | null;
    csrfToken: string | null;
    /** The request's id, sent back in X-Request-Id and written on its log line. */
    requestId: string;
  };
};
