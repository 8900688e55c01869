// The kiosk: a start screen, then the survey form over and over, each answer kept on the device and sent
// when it can be. After an answer, thanks for a few seconds and a fresh form; a form left half filled
// starts over after the kiosk's idle time, with a countdown first.
import { createEffect, createSignal, Match, onCleanup, onMount, Show, Switch } from 'solid-js';
import type { Answers } from '../../surveys/answers.ts';
import type { Locale, SurveyDefinition } from '../../surveys/definition.ts';
import { pickLocale } from '../../surveys/i18n.ts';
import { LanguageSwitch } from '../respond/LanguageSwitch.tsx';
import { localize, ui } from '../respond/i18n.ts';
import { CaseReceipt as CaseReceiptView } from '../respond/CaseReceipt.tsx';
import { Notice } from '../respond/Notice.tsx';
import { newResponseId } from '../respond/progress.ts';
import type { CaseReceipt } from '../respond/send.ts';
import { SurveyForm, type SubmitOutcome } from '../respond/SurveyForm.tsx';
import { KioskOutbox, type Delivered, type OutboxCounts } from './outbox.ts';
import { idlePhase, type IdlePhase } from './rules.ts';
import { kioskText } from './text.ts';

export interface KioskData {
  state: 'open';
  versionId: string;
  version: number;
  definition: SurveyDefinition;
  kiosk: { key: string; location: string; idleSeconds: number };
}

const thanksSeconds = 5;
const referenceSeconds = 20;
const tickMs = 250;

export function KioskPage(props: { data: KioskData }) {
  const { definition, versionId, kiosk } = props.data;
  const defaultLocale = (): Locale => pickLocale(navigator.languages);
  const [locale, setLocale] = createSignal<Locale>(defaultLocale());
  const text = () => kioskText[locale()];
  const [started, setStarted] = createSignal(false);
  const [view, setView] = createSignal<'form' | 'thanks'>('form');
  // A new response id for each fresh form; the form below is rebuilt, empty, whenever it changes.
  const [responseId, setResponseId] = createSignal(newResponseId());
  let startedAt: number | null = null;
  const [dirty, setDirty] = createSignal(false);
  const [idle, setIdle] = createSignal<IdlePhase>({ kind: 'active' });
  const [thanksLeft, setThanksLeft] = createSignal(thanksSeconds);
  const [counts, setCounts] = createSignal<OutboxCounts | null>(null);
  const [online, setOnline] = createSignal(navigator.onLine);
  const [storageFailed, setStorageFailed] = createSignal(false);
  // The answer the thank-you is for, and what became of it: the thank-you says only what is true.
  let thanksFor: string | null = null;
  const [thanksDelivery, setThanksDelivery] = createSignal<Delivered | 'waiting'>('waiting');
  // The reference of the case a complaint form opened, once the server answered. Only the reference: this is a
  // shared device, and the case's status link would open the case to whoever stands here next.
  const [thanksCase, setThanksCase] = createSignal<CaseReceipt | null>(null);
  const outbox = new KioskOutbox(setCounts, (id, delivered, opened) => {
    if (id !== thanksFor) return;
    setThanksDelivery(delivered);
    if (opened) {
      const { statusPath: _link, ...shown } = opened;
      setThanksCase(shown);
      // Time to note the reference down before the form starts over.
      thanksUntil = Math.max(thanksUntil, Date.now() + referenceSeconds * 1000);
    }
  });
  let lastInput = Date.now();
  let thanksUntil = 0;

  const freshForm = () => {
    setThanksCase(null);
    setResponseId(newResponseId());
    startedAt = null;
    setDirty(false);
    setIdle({ kind: 'active' });
    setLocale(defaultLocale());
    setView('form');
    window.scrollTo(0, 0);
  };

  const noteInput = () => {
    lastInput = Date.now();
    if (idle().kind !== 'active') setIdle({ kind: 'active' });
  };

  const tick = () => {
    const now = Date.now();
    if (view() === 'thanks') {
      const left = Math.ceil((thanksUntil - now) / 1000);
      if (left <= 0) freshForm();
      else setThanksLeft(left);
      return;
    }
    if (!dirty()) return;
    const phase = idlePhase(now - lastInput, kiosk.idleSeconds);
    if (phase.kind === 'reset') freshForm();
    else setIdle(phase);
  };

  const keepAnswers = (answers: Answers) => {
    noteInput();
    startedAt ??= Date.now();
    setDirty(Object.keys(answers).length > 0);
  };

  const submit = async (answers: Answers): Promise<SubmitOutcome> => {
    // Set before the answer is stored, since the outbox may send it before add() returns.
    thanksFor = responseId();
    setThanksDelivery('waiting');
    setThanksCase(null);
    try {
      await outbox.add(kiosk.key, {
        id: responseId(),
        versionId,
        locale: locale(),
        answers,
        startedAt: startedAt ?? Date.now(),
      });
    } catch {
      // IndexedDB refused the write: the form keeps the answers and tries again.
      setStorageFailed(true);
      return { kind: 'failed' };
    }
    setStorageFailed(false);
    const seconds = thanksCase() ? referenceSeconds : thanksSeconds;
    thanksUntil = Date.now() + seconds * 1000;
    setThanksLeft(seconds);
    setDirty(false);
    setView('thanks');
    return { kind: 'done' };
  };

  const start = () => {
    noteInput();
    setStarted(true);
    // Fullscreen needs this tap; the layout fills the window either way.
    void document.documentElement.requestFullscreen?.({ navigationUI: 'hide' }).catch(() => undefined);
  };

  onMount(() => {
    const inputEvents = ['pointerdown', 'keydown', 'input', 'wheel', 'touchstart'] as const;
    for (const type of inputEvents) document.addEventListener(type, noteInput, { capture: true, passive: true });
    const markOnline = () => setOnline(navigator.onLine);
    window.addEventListener('online', markOnline);
    window.addEventListener('offline', markOnline);
    const timer = setInterval(tick, tickMs);
    outbox.start();
    onCleanup(() => {
      for (const type of inputEvents) document.removeEventListener(type, noteInput, { capture: true });
      window.removeEventListener('online', markOnline);
      window.removeEventListener('offline', markOnline);
      clearInterval(timer);
      outbox.stop();
    });
  });

  createEffect(() => {
    document.documentElement.lang = locale();
    document.title = localize(definition.title, locale());
  });

  const statusText = () => {
    const current = counts();
    if (!current) return '';
    const parts = [current.waiting > 0 ? text().waiting(current.waiting) : text().allSent];
    if (current.refused > 0) parts.push(text().refused(current.refused));
    if (!online()) parts.push(text().offline);
    if (storageFailed()) parts.push(text().storageFailed);
    return parts.join(' · ');
  };

  return (
    <div class="kiosk" lang={locale()}>
      <main class="kiosk-main">
        <Switch>
          <Match when={!started()}>
            <div class="sv kiosk-start" data-testid="kiosk-start">
              <LanguageSwitch locale={locale()} onChange={setLocale} />
              <h1>{localize(definition.title, locale())}</h1>
              <Show when={definition.intro}>{(intro) => <p class="sv-intro">{localize(intro(), locale())}</p>}</Show>
              <button type="button" class="sv-submit kiosk-start-button" data-testid="kiosk-start-button" onClick={start}>
                {text().start}
              </button>
              <p class="kiosk-hint">{text().startHint}</p>
            </div>
          </Match>
          <Match when={view() === 'thanks'}>
            <Notice
              done
              testId="thank-you"
              locale={locale()}
              onLocaleChange={setLocale}
              title={thanksDelivery() === 'sent' ? ui[locale()].thankYouTitle : text().savedTitle}
              body={definition.thankYou ? localize(definition.thankYou, locale()) : ui[locale()].thankYouBody}
              surveyTitle={localize(definition.title, locale())}
              takeFocus
            >
              <Show when={thanksCase()}>{(opened) => <CaseReceiptView receipt={opened()} locale={locale()} />}</Show>
            </Notice>
            <p class="kiosk-delivery" role="status" data-testid="kiosk-delivery">
              {thanksDelivery() === 'sent'
                ? text().sentNote
                : thanksDelivery() === 'refused'
                  ? text().refusedNote
                  : online()
                    ? text().sendingNote
                    : text().offlineNote}
            </p>
            <p class="kiosk-next" aria-live="polite">
              {text().thanksNext(thanksLeft())}
            </p>
          </Match>
          <Match when={view() === 'form'}>
            <Show when={responseId()} keyed>
              {(id) => (
                <div data-testid="kiosk-form" data-response-id={id}>
                  <SurveyForm
                    definition={definition}
                    locale={locale()}
                    onLocaleChange={setLocale}
                    onAnswersChange={keepAnswers}
                    onSubmit={submit}
                    idPrefix={`k${id.slice(0, 8)}`}
                  />
                </div>
              )}
            </Show>
          </Match>
        </Switch>
      </main>
      <Show when={idle().kind === 'warning' && view() === 'form' ? (idle() as Extract<IdlePhase, { kind: 'warning' }>) : null}>
        {(warning) => (
          <div class="kiosk-idle" role="alertdialog" aria-modal="true" aria-labelledby="kiosk-idle-title" data-testid="kiosk-idle">
            <div class="sv kiosk-idle-box">
              <h2 id="kiosk-idle-title">{text().idleTitle}</h2>
              <p data-testid="kiosk-countdown">{text().idleBody(warning().secondsLeft)}</p>
              <button type="button" class="sv-submit" ref={(button) => queueMicrotask(() => button.focus())} onClick={noteInput}>
                {text().idleContinue}
              </button>
            </div>
          </div>
        )}
      </Show>
      <footer class="kiosk-footer">
        <span class="kiosk-location">{kiosk.location}</span>
        <span class="kiosk-status" role="status" data-testid="kiosk-status">
          {statusText()}
        </span>
        <Show when={started()}>
          <button
            type="button"
            class="kiosk-fullscreen"
            onClick={() => void document.documentElement.requestFullscreen?.().catch(() => undefined)}
          >
            {text().fullscreen}
          </button>
        </Show>
      </footer>
    </div>
  );
}
