// /complaints/macros: the saved replies agents insert into a reply, each with its name and text in both
// languages (the case's language is the one inserted). Managers and admins add, change and delete them.
import { A } from '@solidjs/router';
import { createResource, createSignal, For, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import { createFormState } from '../forms.ts';
import { localized } from '../i18n.ts';
import { canAuthor } from '../session.ts';
import { Async, ConfirmDialog, EmptyState, ErrorMessage, Field, usePageTitle } from '../ui.tsx';
import { complaintsApi, type Macro } from './api.ts';
import { t } from './text.ts';

export default function MacrosPage() {
  usePageTitle(() => t('complaints.macros.title'));
  const [macros, { refetch }] = createResource(canAuthor, () => complaintsApi.macros().then((answer) => answer.macros));
  const [editing, setEditing] = createSignal<Macro | 'new' | null>(null);
  const [removing, setRemoving] = createSignal<Macro | null>(null);
  const [removeError, setRemoveError] = createSignal<unknown>(null);
  const [busy, setBusy] = createSignal(false);
  const remove = async () => {
    const macro = removing();
    if (!macro) return;
    setBusy(true);
    setRemoveError(null);
    try {
      await complaintsApi.deleteMacro(macro.id);
      setRemoving(null);
      void refetch();
    } catch (caught) {
      setRemoveError(caught);
      setRemoving(null);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Show when={canAuthor()} fallback={<p class="alert alert-info">{t('complaints.settings.managersOnly')}</p>}>
      <p class="breadcrumb">
        <A href="/complaints">{t('complaints.macros.back')}</A>
      </p>
      <div class="page-header">
        <div>
          <h1>{t('complaints.macros.title')}</h1>
          <p class="muted">{t('complaints.macros.intro')}</p>
        </div>
        <Show when={editing() === null}>
          <div class="actions">
            <button type="button" class="button button-primary" data-testid="add-macro" onClick={() => setEditing('new')}>
              {t('complaints.macros.add')}
            </button>
          </div>
        </Show>
      </div>
      <Show when={editing()} keyed>
        {(current) => (
          <MacroForm
            macro={current === 'new' ? null : current}
            onDone={() => {
              setEditing(null);
              void refetch();
            }}
            onCancel={() => setEditing(null)}
          />
        )}
      </Show>
      <Show when={removeError()}>{(caught) => <ErrorMessage error={caught()} />}</Show>
      <Async resource={macros} onRetry={refetch}>
        {(list) => (
          <Show when={list.length > 0} fallback={<EmptyState testId="macros-empty" message={t('complaints.macros.empty')} hint={t('complaints.macros.emptyHint')} />}>
            <ul class="macro-list" aria-label={t('complaints.macros.tableLabel')}>
              <For each={list}>
                {(macro) => (
                  <li class="card macro" data-testid="macro">
                    <div class="macro-head">
                      <h2 class="macro-name">{localized(macro.name)}</h2>
                      <div class="actions">
                        <button type="button" class="button button-small" onClick={() => setEditing(macro)}>
                          {t('complaints.macros.edit')}
                        </button>
                        <button type="button" class="button button-small button-danger" onClick={() => setRemoving(macro)}>
                          {t('complaints.macros.remove')}
                        </button>
                      </div>
                    </div>
                    <div class="grid-2">
                      <p class="case-text" lang="en">
                        {macro.body.en}
                      </p>
                      <p class="case-text" lang="zh-CN">
                        {macro.body['zh-CN']}
                      </p>
                    </div>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        )}
      </Async>
      <ConfirmDialog
        open={removing() !== null}
        title={t('complaints.macros.removeTitle', { name: removing() ? localized(removing()!.name) : '' })}
        confirmLabel={t('complaints.macros.remove')}
        danger
        busy={busy()}
        onCancel={() => setRemoving(null)}
        onConfirm={() => void remove()}
      >
        <p>{t('complaints.macros.removeBody')}</p>
      </ConfirmDialog>
    </Show>
  );
}

function MacroForm(props: { macro: Macro | null; onDone: () => void; onCancel: () => void }) {
  const [draft, setDraft] = createStore({
    nameEn: props.macro?.name.en ?? '',
    nameZh: props.macro?.name['zh-CN'] ?? '',
    bodyEn: props.macro?.body.en ?? '',
    bodyZh: props.macro?.body['zh-CN'] ?? '',
  });
  const form = createFormState();
  const labels: Record<string, () => string> = {
    'name.en': () => t('complaints.macros.nameEn'),
    'name.zh-CN': () => t('complaints.macros.nameZh'),
    'body.en': () => t('complaints.macros.bodyEn'),
    'body.zh-CN': () => t('complaints.macros.bodyZh'),
  };
  const save = (event: SubmitEvent) => {
    event.preventDefault();
    return form.run(async () => {
      const input = { name: { en: draft.nameEn, 'zh-CN': draft.nameZh }, body: { en: draft.bodyEn, 'zh-CN': draft.bodyZh } };
      if (props.macro) await complaintsApi.updateMacro(props.macro.id, input);
      else await complaintsApi.createMacro(input);
      props.onDone();
    });
  };
  return (
    <form class="card macro-form" onSubmit={save} novalidate data-testid="macro-form">
      <Show when={form.error()}>{(caught) => <ErrorMessage error={caught()} labels={(path) => labels[path]?.()} />}</Show>
      <div class="grid-2">
        <Field label={t('complaints.macros.nameEn')} name="nameEn" lang="en" value={draft.nameEn} error={form.fieldError('name.en')} onInput={(value) => setDraft('nameEn', value)} />
        <Field label={t('complaints.macros.nameZh')} name="nameZh" lang="zh-CN" value={draft.nameZh} error={form.fieldError('name.zh-CN')} onInput={(value) => setDraft('nameZh', value)} />
        <Field label={t('complaints.macros.bodyEn')} name="bodyEn" lang="en" multiline value={draft.bodyEn} error={form.fieldError('body.en')} onInput={(value) => setDraft('bodyEn', value)} />
        <Field label={t('complaints.macros.bodyZh')} name="bodyZh" lang="zh-CN" multiline value={draft.bodyZh} error={form.fieldError('body.zh-CN')} onInput={(value) => setDraft('bodyZh', value)} />
      </div>
      <div class="actions">
        <button type="submit" class="button button-primary" disabled={form.busy()} data-testid="save-macro">
          {form.busy() ? t('complaints.macros.saving') : t('complaints.macros.save')}
        </button>
        <button type="button" class="button" onClick={() => props.onCancel()}>
          {t('complaints.macros.cancel')}
        </button>
      </div>
    </form>
  );
}
