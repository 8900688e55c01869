// Node entry: parse the environment, migrate, make sure an admin can get in, and serve.
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createSetupToken, ensureAdminFromEnvironment, hasAnyUser } from './accounts/service.ts';
import { migrateDatabase, openDatabase } from './db/client.ts';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const db = await openDatabase(config.databaseUrl, config.databaseAuthToken);
await migrateDatabase(db);

if (config.adminEmail && config.adminPassword) {
  const admin = await ensureAdminFromEnvironment(db, config.adminEmail, config.adminPassword);
  if (admin) console.log(`Created the admin account ${admin.email} from ADMIN_EMAIL.`);
}
if (!(await hasAnyUser(db))) {
  const token = await createSetupToken(db);
  console.log(`No staff account exists yet. Create the first admin here (valid 24 hours, once):\n  ${config.publicUrl}/app/setup?token=${token}`);
}

const app = createApp({ db, config });
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  console.log(`Satisfaction platform listening on ${config.publicUrl} (database ${config.databaseUrl.replace(/\?.*$/, '')}, port ${info.port})`);
});

function shutdown() {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
