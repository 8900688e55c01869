// The editor's "Index model" section: constructs with their items, the paths between them and the weighting
// scheme. Problems come from the same draft check as the rest of the editor, shown at the field they concern.
import { createMemo, createSignal, For, Index, Show } from 'solid-js';
import type { IndexModel } from '../../../surveys/index-model.ts';
import { weightingSchemes } from '../../../surveys/indices/pls-model.ts';
import { localized } from '../i18n.ts';
import { t } from './text.ts';
import { ConfirmDialog } from '../ui.tsx';
import { EditorLocalized, EditorSelect, EditorText, fieldId, UnclaimedErrors, useFieldError } from './fields.tsx';
import {
  addConstruct,
  addPath,
  newIndexModel,
  offeredItems,
  pathEndChoices,
  removeConstruct,
  removePath,
  renameConstruct,
  setItem,
  setPathEnd,
  type OfferedItem,
} from './index-model.ts';
import type { SurveyDraft } from './model.ts';

export interface IndexModelEditorProps {
  draft: SurveyDraft;
  /** Replaces the model (null removes it). */
  setModel: (model: IndexModel | null) => void;
  /** Changes the model in place. */
  change: (edit: (model: IndexModel) => void) => void;
  /** Tells screen readers what just happened. */
  announce: (text: string) => void;
}

const focusLater = (id: string) => requestAnimationFrame(() => document.getElementById(id)?.focus());

export function IndexModelEditor(props: IndexModelEditorProps) {
  const [confirmRemove, setConfirmRemove] = createSignal(false);

  const add = () => {
    props.setModel(newIndexModel());
    props.announce(t('editor.indexModel.added'));
    focusLater(fieldId('indexModel.constructs.0.id'));
  };
  const remove = () => {
    props.setModel(null);
    setConfirmRemove(false);
    props.announce(t('editor.indexModel.removed'));
    focusLater('add-index-model');
  };

  return (
    <section class="card index-model" aria-labelledby="section-index-model" id={fieldId('indexModel')} tabindex="-1" data-testid="index-model">
      <h2 id="section-index-model">{t('editor.indexModel.title')}</h2>
      <p class="hint">{t('editor.indexModel.explanation')}</p>
      <SectionErrors />
      <Show
        when={props.draft.indexModel}
        fallback={
          <div class="index-model-empty">
            <p>{t('editor.indexModel.none')}</p>
            <button type="button" class="button" id="add-index-model" data-testid="add-index-model" onClick={add}>
              + {t('editor.indexModel.add')}
            </button>
          </div>
        }
      >
        {(model) => (
          <>
            <ModelFields {...props} model={model()} />
            <div class="index-model-remove">
              <button type="button" class="button button-danger" data-testid="remove-index-model" onClick={() => setConfirmRemove(true)}>
                {t('editor.indexModel.remove')}
              </button>
            </div>
          </>
        )}
      </Show>
      <ConfirmDialog
        open={confirmRemove()}
        title={t('editor.indexModel.removeTitle')}
        confirmLabel={t('editor.indexModel.remove')}
        confirmTestId="confirm-remove-index-model"
        danger
        onConfirm={remove}
        onCancel={() => setConfirmRemove(false)}
      >
        <p>{t('editor.indexModel.removeBody')}</p>
      </ConfirmDialog>
    </section>
  );
}

/** Problems of the model as a whole (too few constructs, a cycle), at the top of the section. */
function SectionErrors() {
  const whole = useFieldError(() => 'indexModel');
  const constructs = useFieldError(() => 'indexModel.constructs');
  const paths = useFieldError(() => 'indexModel.paths');
  const list = () => [whole(), constructs(), paths()].filter((text): text is string => !!text);
  return (
    <Show when={list().length > 0}>
      <ul class="field-error issue-list" role="alert" data-testid="index-model-errors">
        <For each={list()}>{(text) => <li>{text}</li>}</For>
      </ul>
    </Show>
  );
}

function ModelFields(props: IndexModelEditorProps & { model: IndexModel }) {
  const addOne = () => {
    props.change(addConstruct);
    const index = props.model.constructs.length - 1;
    props.announce(t('editor.indexModel.constructAdded', { n: index + 1 }));
    focusLater(fieldId(`indexModel.constructs.${index}.id`));
  };
  const addOnePath = () => {
    props.change(addPath);
    const index = props.model.paths.length - 1;
    props.announce(t('editor.indexModel.pathAdded', { n: index + 1 }));
    focusLater(fieldId(`indexModel.paths.${index}.0`));
  };

  return (
    <>
      <h3>{t('editor.indexModel.constructs')}</h3>
      <ol class="construct-list">
        <For each={props.model.constructs}>
          {(construct, index) => (
            <li>
              <ConstructEditor {...props} index={index()} />
            </li>
          )}
        </For>
      </ol>
      <button type="button" class="button" id="add-construct" data-testid="add-construct" onClick={addOne}>
        + {t('editor.indexModel.addConstruct')}
      </button>

      <fieldset class="index-paths" id={fieldId('indexModel.paths')} tabindex="-1" data-testid="index-paths">
        <legend>{t('editor.indexModel.paths')}</legend>
        <p class="hint">{t('editor.indexModel.pathsHint')}</p>
        <Show when={props.model.paths.length > 0} fallback={<p class="empty">{t('editor.indexModel.noPaths')}</p>}>
          <ol class="path-list">
            <Index each={props.model.paths}>
              {(path, index) => (
                <li>
                  <PathRow {...props} index={index} from={path()[0]} to={path()[1]} />
                </li>
              )}
            </Index>
          </ol>
        </Show>
        <button type="button" class="button" id="add-path" data-testid="add-path" onClick={addOnePath}>
          + {t('editor.indexModel.addPath')}
        </button>
      </fieldset>

      <EditorSelect
        path="indexModel.scheme"
        label={t('editor.indexModel.scheme')}
        hint={t('editor.indexModel.schemeHint')}
        value={props.model.scheme}
        options={weightingSchemes.map((scheme) => ({ value: scheme, label: t(`editor.indexModel.schemes.${scheme}`) }))}
        onChange={(scheme) => props.change((model) => (model.scheme = scheme))}
      />
    </>
  );
}

function ConstructEditor(props: IndexModelEditorProps & { model: IndexModel; index: number }) {
  const base = () => `indexModel.constructs.${props.index}`;
  const construct = () => props.model.constructs[props.index]!;
  const headingId = () => `construct${props.index}-heading`;
  const itemsError = useFieldError(() => `${base()}.items`);
  const offered = createMemo(() => offeredItems(props.model, props.index, props.draft.questions));
  // Rows keyed by question id, so ticking one keeps its checkbox (and focus) in place.
  const choosableIds = createMemo(() => offered().filter((item) => item.usedBy === null).map((item) => item.questionId));
  const itemFor = (questionId: string) => offered().find((item) => item.questionId === questionId)!;
  /** Questions other constructs measure, grouped by construct: named, not offered again. */
  const usedElsewhere = createMemo(() => {
    const byConstruct = new Map<string, string[]>();
    for (const item of offered()) {
      if (item.usedBy !== null) byConstruct.set(item.usedBy, [...(byConstruct.get(item.usedBy) ?? []), item.questionId]);
    }
    return [...byConstruct].map(([id, questions]) => ({ id, questions }));
  });

  const removeThis = () => {
    props.change((model) => removeConstruct(model, props.index));
    props.announce(t('editor.indexModel.constructRemoved'));
    focusLater('add-construct');
  };

  return (
    <section class="construct" id={fieldId(base())} tabindex="-1" aria-labelledby={headingId()} data-testid={`construct-${props.index}`}>
      <div class="question-header">
        <h4 id={headingId()}>{t('editor.indexModel.constructHeading', { n: props.index + 1, id: construct().id })}</h4>
        <button
          type="button"
          class="button button-small button-danger"
          data-testid={`remove-construct-${props.index}`}
          onClick={removeThis}
        >
          {t('editor.indexModel.removeConstruct', { id: construct().id })}
        </button>
      </div>
      <UnclaimedErrors prefix={base()} />
      <EditorText
        path={`${base()}.id`}
        label={t('editor.indexModel.constructId')}
        hint={t('editor.indexModel.constructIdHint')}
        value={construct().id}
        onInput={(id) => props.change((model) => renameConstruct(model, props.index, id))}
      />
      <EditorLocalized
        path={`${base()}.name`}
        label={t('editor.indexModel.constructName')}
        value={construct().name}
        onInput={(locale, value) => props.change((model) => (model.constructs[props.index]!.name[locale] = value))}
      />
      <fieldset
        class="construct-items"
        id={fieldId(`${base()}.items`)}
        tabindex="-1"
        aria-invalid={itemsError() ? 'true' : undefined}
        aria-describedby={itemsError() ? `${fieldId(`${base()}.items`)}-error` : undefined}
        data-testid={`construct-items-${props.index}`}
      >
        <legend>{t('editor.indexModel.items')}</legend>
        <p class="hint">{t('editor.indexModel.itemsHint')}</p>
        <ul class="item-list">
          <For each={choosableIds()}>
            {(questionId) => <ItemChoice {...props} base={base()} item={itemFor(questionId)} />}
          </For>
        </ul>
        <Show when={usedElsewhere().length > 0}>
          <p class="hint used-elsewhere" data-testid={`used-elsewhere-${props.index}`}>
            {t('editor.indexModel.usedElsewhere')}{' '}
            <For each={usedElsewhere()}>
              {(group, position) => (
                <>
                  {position() > 0 ? ' · ' : ''}
                  <strong>{group.id}</strong>
                  {t('app.labelSeparator')}
                  {group.questions.join(', ')}
                </>
              )}
            </For>
          </p>
        </Show>
        <Show when={itemsError()}>
          <p class="field-error" id={`${fieldId(`${base()}.items`)}-error`}>
            {itemsError()}
          </p>
        </Show>
      </fieldset>
    </section>
  );
}

/** One rating question this construct may use, as a checkbox; an item that is not a rating question says so. */
function ItemChoice(props: IndexModelEditorProps & { model: IndexModel; index: number; base: string; item: OfferedItem }) {
  const controlId = () => `${fieldId(props.base)}-item-${props.item.questionId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  // An unticked question is no item yet: the path it watches names none.
  const error = useFieldError(() => (props.item.itemIndex === null ? `${props.base}.items.unticked` : `${props.base}.items.${props.item.itemIndex}`));
  const note = () => (props.item.question === null ? t('editor.indexModel.notRating') : '');
  const describedBy = () => [note() ? `${controlId()}-note` : '', error() ? `${controlId()}-error` : ''].filter(Boolean).join(' ') || undefined;
  const title = () => (props.item.question ? localized(props.item.question.title) : '');
  return (
    <li class="index-item">
      <div class="checkbox">
        <input
          id={controlId()}
          type="checkbox"
          value={props.item.questionId}
          checked={props.item.itemIndex !== null}
          aria-invalid={error() ? 'true' : undefined}
          aria-describedby={describedBy()}
          onChange={(event) =>
            props.change((model) => setItem(model, props.index, props.item.questionId, event.currentTarget.checked, props.draft.questions))
          }
        />
        <label for={controlId()}>
          <Show when={title()}>{title()} </Show>
          <code>({props.item.questionId})</code>
        </label>
      </div>
      <Show when={note()}>
        <span class="hint" id={`${controlId()}-note`}>
          {note()}
        </span>
      </Show>
      <Show when={error()}>
        <p class="field-error" id={`${controlId()}-error`}>
          {error()}
        </p>
      </Show>
    </li>
  );
}

function PathRow(props: IndexModelEditorProps & { model: IndexModel; index: number; from: string; to: string }) {
  const base = () => `indexModel.paths.${props.index}`;
  const n = () => props.index + 1;
  const rowError = useFieldError(() => base());
  const choices = (current: string) =>
    pathEndChoices(props.model, current).map((id) => ({ value: id, label: id }));
  const removeThis = () => {
    props.change((model) => removePath(model, props.index));
    props.announce(t('editor.indexModel.pathRemoved'));
    focusLater('add-path');
  };
  return (
    <fieldset
      class="path-row"
      id={fieldId(base())}
      tabindex="-1"
      aria-invalid={rowError() ? 'true' : undefined}
      data-testid={`path-row-${props.index}`}
    >
      <legend class="sr-only">{t('editor.indexModel.pathRow', { n: n() })}</legend>
      <div class="path-ends">
        <EditorSelect
          path={`${base()}.0`}
          label={<span class="sr-only">{t('editor.indexModel.from')}</span>}
          value={props.from}
          placeholder={t('editor.indexModel.chooseConstruct')}
          options={choices(props.from)}
          onChange={(id) => props.change((model) => setPathEnd(model, props.index, 0, id))}
        />
        <span class="path-arrow" aria-hidden="true">
          →
        </span>
        <EditorSelect
          path={`${base()}.1`}
          label={<span class="sr-only">{t('editor.indexModel.to')}</span>}
          value={props.to}
          placeholder={t('editor.indexModel.chooseConstruct')}
          options={choices(props.to)}
          onChange={(id) => props.change((model) => setPathEnd(model, props.index, 1, id))}
        />
        <button type="button" class="button button-small button-danger" data-testid={`remove-path-${props.index}`} onClick={removeThis}>
          {t('editor.indexModel.removePath', { n: n() })}
        </button>
      </div>
      <Show when={rowError()}>
        <p class="field-error" role="alert">
          {rowError()}
        </p>
      </Show>
    </fieldset>
  );
}
