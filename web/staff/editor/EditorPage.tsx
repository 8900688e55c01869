// /surveys/:id: edit a survey's draft, check it with the shared schema, save, publish, close or reopen.
import { A, useBeforeLeave, type BeforeLeaveEventArgs } from '@solidjs/router';
import { createEffect, createMemo, createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import { createStore, produce, reconcile, unwrap } from 'solid-js/store';
import { questionTypes, surveyKinds, type QuestionType } from '../../../surveys/definition.ts';
import { ApiError, type ServerMessage } from '../request.ts';
import { type SurveyDetail, surveysApi } from '../surveys/api.ts';
import { formatCount, formatDateTime, locale, localized } from '../i18n.ts';
import { t } from './text.ts';
import {
  absoluteUrl,
  ConfirmDialog,
  CopyButton,
  describeError,
  fieldMessage,
  RouteSurvey,
  Select,
  StatusBadge,
  usePageTitle,
} from '../ui.tsx';
import { noticeUnauthorized } from '../session.ts';
import {
  createEditorErrors,
  describePath,
  EditorErrorsContext,
  EditorLocalized,
  EditorSelect,
  EditorText,
  fieldId,
  focusPath,
  UnclaimedErrors,
} from './fields.tsx';
import {
  checkDraft,
  ensureOptions,
  fingerprint,
  fromDefinition,
  isChoiceType,
  newQuestion,
  renameModelItem,
  renameReferences,
  renameRuleQuestion,
  type QuestionDraft,
  type SurveyDraft,
} from './model.ts';
import { offersIndexModel } from './index-model.ts';
import { IndexModelEditor } from './IndexModelEditor.tsx';
import { LoopRulesEditor } from './LoopRulesEditor.tsx';
import { QuestionEditor } from './QuestionEditor.tsx';
import { forgetWorkingDraft, keepWorkingDraft, keptWorkingDraft } from './workingDrafts.ts';
import { followPointer } from './pointerDrag.ts';

export default function EditorPage() {
  return <RouteSurvey>{(detail) => <SurveyEditor initial={detail} />}</RouteSurvey>;
}

/** The survey's own texts in form order, each in both languages. */
const surveyTexts = [
  { key: 'title', label: 'editor.surveyTitle', multiline: false },
  { key: 'intro', label: 'editor.intro', multiline: true },
  { key: 'thankYou', label: 'editor.thankYou', multiline: true },
] as const;

type Busy = 'save' | 'publish' | 'close' | 'reopen' | null;
type Dialog = 'publish' | 'close' | 'discard' | null;

/** Sections that come after the survey's own fields, in form order. */
const laterSections = ['questions', 'indexModel', 'loopRules'];
const sectionRank = (part: string) => laterSections.indexOf(part) + 1;

/** Paths in form order: survey fields first, then questions by number, then the index model. */
function comparePaths(a: string, b: string) {
  const left = a.split('.');
  const right = b.split('.');
  for (let i = 0; i < Math.max(left.length, right.length); i += 1) {
    const x = left[i];
    const y = right[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    if (/^\d+$/.test(x) && /^\d+$/.test(y)) return Number(x) - Number(y);
    if (sectionRank(x) !== sectionRank(y)) return sectionRank(x) - sectionRank(y);
    return 0;
  }
  return 0;
}

function SurveyEditor(props: { initial: SurveyDetail }) {
  const surveyId = props.initial.id;
  const [survey, setSurvey] = createSignal(props.initial);
  const savedFingerprint = createMemo(() => fingerprint(fromDefinition(survey().draft, survey().slug)));
  const restored = keptWorkingDraft(surveyId, savedFingerprint());
  const [draft, setDraft] = createStore<SurveyDraft>(restored?.draft ?? fromDefinition(props.initial.draft, props.initial.slug));
  const currentFingerprint = createMemo(() => fingerprint(draft));
  const dirty = createMemo(() => currentFingerprint() !== savedFingerprint());
  // Every change is kept in this browser until saved or discarded, so closing the tab loses nothing.
  createEffect(() => {
    if (currentFingerprint() !== savedFingerprint()) keepWorkingDraft(surveyId, savedFingerprint(), unwrap(draft));
    else forgetWorkingDraft(surveyId);
  });
  // A short survey opens with its questions expanded; a long one as a list of titles to open one by one.
  const [expanded, setExpanded] = createSignal<ReadonlySet<QuestionDraft>>(
    new Set(draft.questions.length <= 3 ? draft.questions.map((question) => unwrap(question)) : []),
  );
  const isExpanded = (question: QuestionDraft) => expanded().has(unwrap(question));
  const setQuestionExpanded = (question: QuestionDraft, open: boolean) =>
    setExpanded((previous) => {
      const next = new Set(previous);
      if (open) next.add(unwrap(question));
      else next.delete(unwrap(question));
      return next;
    });
  const [dragFrom, setDragFrom] = createSignal<number | null>(null);
  const [dropAt, setDropAt] = createSignal<number | null>(null);
  const [leaving, setLeaving] = createSignal<BeforeLeaveEventArgs | null>(null);
  const slugLocked = () => survey().latestVersion !== null;
  // Each edit re-checks the draft; the Chinese wording is only worked out for a screen in Chinese.
  const check = createMemo(() => checkDraft(draft, slugLocked(), locale() === 'zh-CN'));

  const [showClientIssues, setShowClientIssues] = createSignal(false);
  const [serverMessages, setServerFields] = createSignal<Record<string, ServerMessage>>({});
  // Resolved on reading, so the server's messages follow a language switch.
  const serverFields = createMemo(() =>
    Object.fromEntries(Object.entries(serverMessages()).map(([path, text]) => [path, fieldMessage(text)])),
  );
  const [busy, setBusy] = createSignal<Busy>(null);
  const [dialog, setDialog] = createSignal<Dialog>(null);
  const [actionError, setActionError] = createSignal<unknown>(null);
  const [announcement, setAnnouncement] = createSignal('');
  const [notice, setNotice] = createSignal('');
  const [newType, setNewType] = createSignal<QuestionType>('rating');

  const errors = createEditorErrors({
    clientIssues: () => {
      const result = check();
      return result.ok ? [] : result.issues;
    },
    showClient: showClientIssues,
    serverFields,
    clearServerField: (path) => {
      if (!(path in serverMessages())) return;
      const { [path]: _cleared, ...rest } = serverMessages();
      setServerFields(rest);
    },
  });
  const issueSummary = createMemo(() => [...errors.all()].sort((a, b) => comparePaths(a.path, b.path)));

  usePageTitle(() => localized(draft.title) || t('editor.sectionSurvey'));

  // Unsaved work is kept in this browser either way; leaving the editor for another page, reloading or
  // closing the tab asks first. The preview shows the unsaved work, so going there does not ask.
  useBeforeLeave((event) => {
    if (!dirty() || event.defaultPrevented) return;
    if (String(event.to).includes(`/surveys/${encodeURIComponent(surveyId)}/preview`)) return;
    event.preventDefault();
    setLeaving(event);
  });
  const warnBeforeUnload = (event: BeforeUnloadEvent) => {
    if (!dirty()) return;
    event.preventDefault();
    event.returnValue = t('editor.leaveWarning');
  };
  onMount(() => window.addEventListener('beforeunload', warnBeforeUnload));
  onCleanup(() => window.removeEventListener('beforeunload', warnBeforeUnload));

  /** Tells screen readers what just happened; `visible` also shows it as a confirmation on screen. */
  const announce = (text: string, visible = false) => {
    setAnnouncement('');
    queueMicrotask(() => setAnnouncement(text));
    setNotice(visible ? text : '');
  };

  const failed = (error: unknown) => {
    noticeUnauthorized(error);
    // Field problems are listed, with links, in the summary; other failures get a message of their own.
    if (error instanceof ApiError && Object.keys(error.fields).length > 0) {
      setServerFields(
        Object.fromEntries(
          Object.entries(error.fields).map(([path, message]) => [path.replace(/^definition\./, ''), message]),
        ),
      );
      setShowClientIssues(true);
      requestAnimationFrame(() => document.getElementById('editor-problems')?.focus());
    } else {
      setActionError(error);
    }
  };

  const showProblems = () => {
    setShowClientIssues(true);
    requestAnimationFrame(() => document.getElementById('editor-problems')?.focus());
  };

  async function save(): Promise<boolean> {
    setActionError(null);
    setNotice('');
    setServerFields({});
    const result = check();
    if (!result.ok) {
      showProblems();
      return false;
    }
    const sent = fingerprint(draft);
    const slug = draft.slug.trim();
    setBusy('save');
    try {
      const { survey: saved } = await surveysApi.saveDraft(surveyId, {
        definition: result.definition,
        ...(slugLocked() || slug === survey().slug ? {} : { slug }),
      });
      setSurvey(saved);
      // Take the server's normalised copy unless the person kept typing while it saved.
      if (fingerprint(draft) === sent) setDraft(reconcile(fromDefinition(saved.draft, saved.slug)));
      setShowClientIssues(false);
      forgetWorkingDraft(surveyId);
      announce(t('editor.saved'), true);
      return true;
    } catch (error) {
      failed(error);
      return false;
    } finally {
      setBusy(null);
    }
  }

  const askPublish = () => {
    if (dirty() && !check().ok) {
      showProblems();
      return;
    }
    setDialog('publish');
  };

  async function publish() {
    if (dirty() && !(await save())) {
      setDialog(null);
      return;
    }
    setBusy('publish');
    setActionError(null);
    try {
      const { survey: published } = await surveysApi.publish(surveyId);
      setSurvey(published);
      setDialog(null);
      announce(t('editor.published', { version: published.latestVersion ?? 1 }), true);
    } catch (error) {
      setDialog(null);
      failed(error);
    } finally {
      setBusy(null);
    }
  }

  async function setClosed(closed: boolean) {
    setBusy(closed ? 'close' : 'reopen');
    setActionError(null);
    try {
      const { survey: updated } = await (closed ? surveysApi.close(surveyId) : surveysApi.reopen(surveyId));
      setSurvey(updated);
      announce(closed ? t('editor.closed') : t('editor.reopened'), true);
    } catch (error) {
      failed(error);
    } finally {
      setDialog(null);
      setBusy(null);
    }
  }

  const discard = () => {
    setDraft(reconcile(fromDefinition(survey().draft, survey().slug)));
    setServerFields({});
    setShowClientIssues(false);
    setActionError(null);
    forgetWorkingDraft(surveyId);
    setDialog(null);
  };

  // ----- question list operations -----
  const focusLater = (id: string, fallbackId?: string) =>
    requestAnimationFrame(() => {
      const element = document.getElementById(id) as HTMLButtonElement | null;
      if (element && !element.disabled) element.focus();
      else if (fallbackId) document.getElementById(fallbackId)?.focus();
    });

  const updateQuestion = (index: number, change: (question: QuestionDraft) => void) =>
    setDraft('questions', index, produce(change));

  /** Moves a question from one position to another (0-based), and says so to screen readers. */
  const moveQuestionTo = (from: number, to: number) => {
    if (from === to || from < 0 || to < 0 || from >= draft.questions.length || to >= draft.questions.length) return false;
    setDraft(
      'questions',
      produce((list) => {
        const [moved] = list.splice(from, 1);
        list.splice(to, 0, moved!);
      }),
    );
    announce(t('editor.movedFrom', { from: from + 1, n: to + 1 }));
    return true;
  };

  /** One step up or down, by a button or an arrow key on the drag handle; the keyboard stays on the same control. */
  const moveQuestion = (index: number, delta: -1 | 1, from: 'buttons' | 'handle' = 'buttons') => {
    const target = index + delta;
    if (!moveQuestionTo(index, target)) return;
    if (from === 'handle') {
      focusLater(`q${target}-handle`);
      return;
    }
    const same = delta < 0 ? 'up' : 'down';
    const other = delta < 0 ? 'down' : 'up';
    focusLater(`q${target}-${same}`, `q${target}-${other}`);
  };

  let questionList: HTMLOListElement | undefined;
  /** A question dragged by its handle with a mouse, a finger or a pen, dropped on the question whose place it takes. */
  const dragQuestion = (event: PointerEvent, from: number) =>
    followPointer(event, {
      items: () => (questionList ? [...questionList.children] : []),
      start: () => setDragFrom(from),
      over: setDropAt,
      drop: (target) => {
        setDragFrom(null);
        setDropAt(null);
        if (moveQuestionTo(from, target)) focusLater(`q${target}-handle`);
      },
      cancel: () => {
        setDragFrom(null);
        setDropAt(null);
      },
    });

  const setAllExpanded = (open: boolean) => {
    setExpanded(new Set(open ? draft.questions.map((question) => unwrap(question)) : []));
    announce(open ? t('editor.expandedAll') : t('editor.collapsedAll'));
  };

  /** Opens the question a problem is in, then puts the keyboard on the field. */
  const focusProblem = (path: string) => {
    const question = /^questions\.(\d+)/.exec(path);
    const target = question ? draft.questions[Number(question[1])] : undefined;
    if (target) setQuestionExpanded(target, true);
    requestAnimationFrame(() => focusPath(path));
  };

  const removeQuestion = (index: number) => {
    setDraft('questions', (list) => list.filter((_, i) => i !== index));
    announce(t('editor.removed'));
    const next = Math.min(index, draft.questions.length - 1);
    requestAnimationFrame(() =>
      (next >= 0 ? document.getElementById(fieldId(`questions.${next}`)) : document.getElementById('add-question-type'))?.focus(),
    );
  };

  const addQuestion = () => {
    const type = newType();
    setDraft('questions', (list) => [...list, newQuestion(type, list)]);
    const index = draft.questions.length - 1;
    setQuestionExpanded(draft.questions[index]!, true);
    announce(t('editor.added', { n: index + 1 }));
    requestAnimationFrame(() => document.getElementById(fieldId(`questions.${index}.title.zh-CN`))?.focus());
  };

  const renameQuestion = (index: number, id: string) =>
    setDraft(
      produce((survey) => {
        const list = survey.questions;
        const question = list[index];
        if (!question) return;
        const previous = question.id;
        question.id = id;
        // A duplicated id is not this question's to rename: the references belong to the other one.
        const shared = list.some((other, i) => i !== index && other.id === previous);
        if (!shared) {
          renameReferences(list.slice(index + 1), previous, id);
          renameModelItem(survey.indexModel, previous, id);
          renameRuleQuestion(survey.loopRules, previous, id);
        }
      }),
    );

  const changeType = (index: number, type: QuestionType) =>
    updateQuestion(index, (question) => {
      question.type = type;
      if (isChoiceType(type)) ensureOptions(question);
    });

  const canPublish = () =>
    dirty() || survey().latestVersion === null || survey().hasUnpublishedChanges || survey().status === 'closed';

  return (
    <EditorErrorsContext.Provider value={errors}>
      <div class="editor">
        <p class="breadcrumb">
          <A href="/surveys">← {t('editor.back')}</A>
        </p>
        <div class="page-header editor-header">
          <div>
            <h1>{localized(draft.title) || localized(survey().title)}</h1>
            <p class="editor-state">
              <span data-testid="survey-status" data-status={survey().status} class={`badge badge-${survey().status}`}>
                {t(`status.${survey().status}`)}
              </span>
              <Show
                when={dirty()}
                fallback={<span class="saved-state">{t('editor.allSaved')}</span>}
              >
                <span class="unsaved-state" data-testid="unsaved-changes">
                  ● {t('editor.unsaved')}
                </span>
              </Show>
              <Show when={!dirty() && survey().latestVersion !== null && survey().hasUnpublishedChanges}>
                <span class="muted">{t('editor.unpublished')}</span>
              </Show>
            </p>
          </div>
        </div>

        <div class="editor-toolbar" role="toolbar" aria-label={t('editor.sectionSurvey')}>
          <button
            type="button"
            class="button"
            data-testid="save-draft"
            disabled={busy() !== null}
            onClick={() => void save()}
          >
            {busy() === 'save' ? t('editor.saving') : t('editor.saveDraft')}
          </button>
          <button
            type="button"
            class="button button-primary"
            data-testid="publish"
            disabled={busy() !== null}
            onClick={askPublish}
          >
            {busy() === 'publish' ? t('editor.publishing') : t('editor.publish')}
          </button>
          <Show when={survey().status === 'published'}>
            <button type="button" class="button" disabled={busy() !== null} onClick={() => setDialog('close')}>
              {t('editor.closeSurvey')}
            </button>
          </Show>
          <Show when={survey().status === 'closed'}>
            <button type="button" class="button" disabled={busy() !== null} onClick={() => void setClosed(false)}>
              {busy() === 'reopen' ? t('app.loading') : t('editor.reopen')}
            </button>
          </Show>
          <A class="button" href={`/surveys/${encodeURIComponent(surveyId)}/preview`}>
            {t('editor.preview')}
          </A>
          <A class="button" data-testid="open-responses" href={`/surveys/${encodeURIComponent(surveyId)}/responses`}>
            {t('editor.responses')} ({formatCount(survey().responseCount)})
          </A>
          <Show when={dirty()}>
            <button type="button" class="button button-quiet" disabled={busy() !== null} onClick={() => setDialog('discard')}>
              {t('editor.discard')}
            </button>
          </Show>
        </div>

        <p class="sr-only" role="status" aria-live="polite">
          {announcement()}
        </p>
        <Show when={notice() && !actionError()}>
          <p class="alert alert-success">{notice()}</p>
        </Show>
        <Show when={restored && dirty() && restored.keptAt}>
          {(keptAt) => (
            <p class="alert alert-info" data-testid="restored-draft">
              {t('editor.restored', { date: formatDateTime(new Date(keptAt()).toISOString()) })}
            </p>
          )}
        </Show>
        <Show when={actionError()}>
          {(error) => (
            <div class="alert alert-error" role="alert">
              <p>{describeError(error())}</p>
            </div>
          )}
        </Show>
        <Show when={issueSummary().length > 0}>
          <div class="alert alert-error problems" id="editor-problems" tabindex="-1" role="alert">
            <p>{t('editor.problems', { count: issueSummary().length })}</p>
            <ul>
              <For each={issueSummary()}>
                {(issue) => (
                  <li>
                    <a
                      href={`#${fieldId(issue.path)}`}
                      onClick={(event) => {
                        event.preventDefault();
                        focusProblem(issue.path);
                      }}
                    >
                      {describePath(issue.path) || t('editor.sectionSurvey')}
                    </a>
                    {t('app.labelSeparator')}
                    {issue.text}
                  </li>
                )}
              </For>
            </ul>
          </div>
        </Show>

        <section class="card" aria-labelledby="section-survey">
          <h2 id="section-survey">{t('editor.sectionSurvey')}</h2>
          <div class="grid-2">
            <EditorSelect
              path="kind"
              label={t('editor.kind')}
              value={draft.kind}
              options={surveyKinds.map((kind) => ({ value: kind, label: t(`kinds.${kind}`) }))}
              onChange={(kind) => setDraft('kind', kind)}
            />
            <EditorText
              path="slug"
              label={t('editor.slug')}
              hint={slugLocked() ? t('editor.slugLocked') : t('editor.slugHint')}
              readOnly={slugLocked()}
              value={draft.slug}
              onInput={(slug) => setDraft('slug', slug)}
            />
          </div>
          <div class="public-link">
            <span class="label">{t('editor.publicLink')}</span>
            <Show when={survey().latestVersion !== null} fallback={<p class="hint">{t('editor.notPublishedYet')}</p>}>
              <p>
                <a data-testid="public-link" href={survey().publicPath}>
                  {absoluteUrl(survey().publicPath)}
                </a>{' '}
                <CopyButton text={absoluteUrl(survey().publicPath)} />
              </p>
            </Show>
          </div>
          <UnclaimedErrors prefix="" exact />
        </section>

        <section class="card" aria-labelledby="section-texts">
          <h2 id="section-texts">{t('editor.sectionTexts')}</h2>
          <For each={surveyTexts}>
            {(text) => (
              <EditorLocalized
                path={text.key}
                label={t(text.label)}
                multiline={text.multiline}
                value={draft[text.key]}
                onInput={(locale, value) => setDraft(text.key, locale, value)}
              />
            )}
          </For>
        </section>

        <section class="questions" aria-labelledby="section-questions" id={fieldId('questions')} tabindex="-1">
          <div class="questions-header">
            <h2 id="section-questions">{t('editor.sectionQuestions')}</h2>
            <Show when={draft.questions.length > 1}>
              <div class="questions-tools">
                <button type="button" class="button button-small" data-testid="expand-all" onClick={() => setAllExpanded(true)}>
                  {t('editor.expandAll')}
                </button>
                <button type="button" class="button button-small" data-testid="collapse-all" onClick={() => setAllExpanded(false)}>
                  {t('editor.collapseAll')}
                </button>
              </div>
            </Show>
          </div>
          <UnclaimedErrors prefix="questions" exact />
          <Show when={draft.questions.length > 0} fallback={<p class="empty">{t('editor.noQuestions')}</p>}>
            <ol class="question-list" ref={questionList}>
              <For each={draft.questions}>
                {(question, index) => (
                  <li
                    classList={{ dragging: dragFrom() === index(), 'drop-target': dropAt() === index() && dragFrom() !== index() }}
                  >
                    <QuestionEditor
                      question={question}
                      index={index()}
                      count={draft.questions.length}
                      earlier={draft.questions.slice(0, index())}
                      expanded={isExpanded(question)}
                      toggle={() => setQuestionExpanded(question, !isExpanded(question))}
                      update={(change) => updateQuestion(index(), change)}
                      rename={(id) => renameQuestion(index(), id)}
                      changeType={(type) => changeType(index(), type)}
                      move={(delta, from) => moveQuestion(index(), delta, from)}
                      remove={() => removeQuestion(index())}
                      dragStart={(event) => dragQuestion(event, index())}
                    />
                  </li>
                )}
              </For>
            </ol>
          </Show>
          <div class="card add-question">
            <Select
              id="add-question-type"
              label={t('editor.newQuestionType')}
              value={newType()}
              options={questionTypes.map((type) => ({ value: type, label: t(`questionTypes.${type}`) }))}
              onChange={setNewType}
            />
            <button type="button" class="button" data-testid="add-question" onClick={addQuestion}>
              + {t('editor.addQuestion')}
            </button>
          </div>
        </section>

        <Show when={offersIndexModel(draft.questions, draft.indexModel)}>
          <IndexModelEditor
            draft={draft}
            setModel={(model) => setDraft('indexModel', model)}
            change={(edit) => setDraft('indexModel', produce((model) => model && edit(model)))}
            announce={(text) => announce(text)}
          />
        </Show>

        <Show when={draft.kind === 'satisfaction' || draft.loopRules.length > 0}>
          <LoopRulesEditor
            draft={draft}
            change={(edit) => setDraft('loopRules', produce(edit))}
            announce={(text) => announce(text)}
          />
        </Show>

        <section class="card" aria-labelledby="section-versions">
          <h2 id="section-versions">{t('editor.sectionVersions')}</h2>
          <Show when={survey().versions.length > 0} fallback={<p class="empty">{t('editor.noVersions')}</p>}>
            <ul class="version-list">
              <For each={survey().versions}>
                {(version) => (
                  <li>
                    {t('editor.versionLine', {
                      version: version.version,
                      date: formatDateTime(version.publishedAt),
                      count: version.responseCount,
                    })}
                    <Show when={version.version === survey().latestVersion}>
                      {' '}
                      <span class="badge badge-published">{t('editor.latest')}</span>
                    </Show>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </section>
      </div>

      <ConfirmDialog
        open={dialog() === 'publish'}
        title={t('editor.publishTitle')}
        confirmLabel={busy() === 'publish' || busy() === 'save' ? t('editor.publishing') : t('editor.confirmPublish')}
        confirmTestId="confirm-publish"
        busy={busy() !== null}
        onConfirm={() => void publish()}
        onCancel={() => setDialog(null)}
      >
        <p>{t('editor.publishBody')}</p>
        <p>{t('editor.publishBody2')}</p>
        <Show when={dirty()}>
          <p>
            <strong>{t('editor.publishUnsaved')}</strong>
          </p>
        </Show>
        <Show when={!canPublish()}>
          <p class="muted">{t('editor.nothingToPublish')}</p>
        </Show>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog() === 'close'}
        title={t('editor.closeTitle')}
        confirmLabel={t('editor.confirmClose')}
        danger
        busy={busy() !== null}
        onConfirm={() => void setClosed(true)}
        onCancel={() => setDialog(null)}
      >
        <p>{t('editor.closeBody')}</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={leaving() !== null}
        title={t('editor.leaveTitle')}
        confirmLabel={t('editor.leaveConfirm')}
        cancelLabel={t('editor.leaveStay')}
        confirmTestId="confirm-leave"
        onConfirm={() => {
          const event = leaving();
          setLeaving(null);
          event?.retry(true);
        }}
        onCancel={() => setLeaving(null)}
      >
        <p>{t('editor.leaveBody')}</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog() === 'discard'}
        title={t('editor.discard')}
        confirmLabel={t('editor.discard')}
        danger
        onConfirm={discard}
        onCancel={() => setDialog(null)}
      >
        <p>{t('editor.discardConfirm')}</p>
      </ConfirmDialog>
    </EditorErrorsContext.Provider>
  );
}
