// /surveys/:id/preview: the draft exactly as a customer sees it, using the public page's own form.
import { A } from '@solidjs/router';
import { createSignal, For, Show } from 'solid-js';
import { locales, type Locale } from '../../../surveys/definition.ts';
import type { SurveyDetail } from './api.ts';
import { SurveyForm } from '../../respond/SurveyForm.tsx';
import { checkDraft, fingerprint, fromDefinition } from '../editor/model.ts';
import { workingDraftFor } from '../editor/workingDrafts.ts';
import { locale, localized } from '../i18n.ts';
import { t } from './text.ts';
import { RouteSurvey, usePageTitle } from '../ui.tsx';

export default function PreviewPage() {
  return <RouteSurvey>{(detail) => <Preview detail={detail} />}</RouteSurvey>;
}

type Width = 'phone' | 'full';

function Preview(props: { detail: SurveyDetail }) {
  // Unsaved edits left in the editor are previewed too; the saved draft otherwise.
  const working = workingDraftFor(
    props.detail.id,
    fingerprint(fromDefinition(props.detail.draft, props.detail.slug)),
  );
  const checked = working ? checkDraft(working, true) : ({ ok: true, definition: props.detail.draft } as const);
  const [width, setWidth] = createSignal<Width>('phone');
  const [previewLocale, setPreviewLocale] = createSignal<Locale>(locale());
  // Bumping the run number mounts a fresh form, i.e. starts the survey over.
  const [run, setRun] = createSignal(1);
  const editorHref = `/surveys/${encodeURIComponent(props.detail.id)}`;

  usePageTitle(() => t('preview.heading', { title: localized(props.detail.title) }));

  return (
    <>
      <p class="breadcrumb">
        <A href={editorHref}>← {t('preview.backToEditor')}</A>
      </p>
      <div class="page-header">
        <h1>
          {t('preview.heading', { title: localized(checked.ok ? checked.definition.title : props.detail.title) })}
        </h1>
      </div>
      <Show
        when={checked.ok && checked}
        fallback={
          <div class="alert alert-error" role="alert">
            <p>{t('preview.invalid')}</p>
            <A href={editorHref} class="button">
              {t('preview.backToEditor')}
            </A>
          </div>
        }
      >
        {(valid) => (
          <>
            <p class="alert alert-info">
              {t('preview.notice')} <Show when={working}>{t('preview.unsavedShown')}</Show>
            </p>
            <div class="preview-toolbar">
              <div class="segmented" role="group" aria-label={t('preview.width')}>
                <button type="button" aria-pressed={width() === 'phone'} onClick={() => setWidth('phone')}>
                  {t('preview.phone')}
                </button>
                <button type="button" aria-pressed={width() === 'full'} onClick={() => setWidth('full')}>
                  {t('preview.full')}
                </button>
              </div>
              <div class="segmented" role="group" aria-label={t('preview.language')}>
                <For each={locales}>
                  {(option) => (
                    <button
                      type="button"
                      lang={option}
                      aria-pressed={previewLocale() === option}
                      onClick={() => setPreviewLocale(option)}
                    >
                      {t(`locales.${option}`)}
                    </button>
                  )}
                </For>
              </div>
              <button type="button" class="button" onClick={() => setRun(run() + 1)}>
                {t('preview.restart')}
              </button>
            </div>
            <div class="preview-stage">
              <div class="preview-frame" classList={{ 'preview-phone': width() === 'phone' }} data-testid="preview-frame">
                <div class="preview-surface" lang={previewLocale()}>
                  <Show when={run()} keyed>
                    {(_run) => (
                      <SurveyForm
                        definition={valid().definition}
                        locale={previewLocale()}
                        onLocaleChange={setPreviewLocale}
                        preview
                      />
                    )}
                  </Show>
                </div>
              </div>
            </div>
          </>
        )}
      </Show>
    </>
  );
}
