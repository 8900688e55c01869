// Entry of the kiosk page at /k/:key: read the survey the server embedded, run the kiosk, and register the
// service worker that lets a reload work with no network.
import { createSignal } from 'solid-js';
import { render } from 'solid-js/web';
import type { Locale, LocalizedText } from '../../surveys/definition.ts';
import { pickLocale } from '../../surveys/i18n.ts';
import { ui } from '../respond/i18n.ts';
import { Notice } from '../respond/Notice.tsx';
import { keepOfflineCopy } from './cache.ts';
import { KioskPage, type KioskData } from './KioskPage.tsx';
import '../respond/page.css';
import './kiosk.css';

type Data = KioskData | { state: 'closed'; title: LocalizedText } | { state: 'unknown' };

function readData(): Data {
  const embedded = document.getElementById('survey-data')?.textContent;
  if (!embedded) return { state: 'unknown' };
  try {
    const data = JSON.parse(embedded) as Data;
    return data && (data.state === 'open' || data.state === 'closed') ? data : { state: 'unknown' };
  } catch {
    return { state: 'unknown' };
  }
}

function Unavailable(props: { data: Exclude<Data, KioskData> }) {
  const [locale, setLocale] = createSignal<Locale>(pickLocale(navigator.languages));
  const closed = props.data.state === 'closed' ? props.data : null;
  return (
    <main class="sv-page">
      <Notice
        testId={closed ? 'survey-closed' : 'survey-unknown'}
        locale={locale()}
        onLocaleChange={setLocale}
        title={closed ? ui[locale()].closedTitle : ui[locale()].unknownTitle}
        body={closed ? ui[locale()].closedBody : ui[locale()].unknownBody}
        surveyTitle={closed ? closed.title[locale()] || closed.title.en : undefined}
      />
    </main>
  );
}

const root = document.getElementById('app')!;
const data = readData();
root.textContent = '';
if (data.state === 'open') {
  render(() => <KioskPage data={data} />, root);
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker
      .register('/k/sw.js', { scope: '/k/' })
      .then(() => navigator.serviceWorker.ready)
      .then(() => keepOfflineCopy())
      // Staff (and tests) can tell the device is ready to lose its network.
      .then(() => (document.documentElement.dataset.offlineReady = 'true'))
      .catch(() => undefined);
  }
} else {
  render(() => <Unavailable data={data} />, root);
}
