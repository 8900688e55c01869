// Another process opening complaint cases on the same database file, for tests of numbering under two writers:
// node --import tsx tests/support/complaints-opener.ts <database url> <how many>
import { openDatabase } from '../../server/db/client.ts';
import { openCases } from '../../server/complaints/opening.ts';
import { readComplaintSettings } from '../../server/complaints/settings.ts';

const [url, many] = process.argv.slice(2);
const db = await openDatabase(url!);
const settings = await readComplaintSettings(db);
for (let index = 0; index < Number(many); index++) {
  await openCases(
    db,
    [{ source: 'agent', channel: 'phone', category: 'other', description: `from the other process ${index}`, locale: 'en', contactConsent: false, actor: { type: 'system', id: null, name: null } }],
    settings,
  );
}
db.$client.close();
