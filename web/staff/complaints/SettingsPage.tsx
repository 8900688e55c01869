// /complaints/settings: managers and admins set the categories (both languages, major or not, retired), the
// business calendar deadlines count in (week hours, holidays, 调休 extra workdays, or 24×7), the targets per
// severity, the windows (close after, reopen within, survey after) and which managers hear about deadlines.
// The form keeps what was typed as text; the server judges the values and its messages show by their fields.
import { A } from '@solidjs/router';
import { createResource, createSignal, For, Index, Show } from 'solid-js';
import { createStore, produce } from 'solid-js/store';
import { caseSeverities } from '../../../server/complaints/vocabulary.ts';
import { createFormState } from '../forms.ts';
import { canAuthor } from '../session.ts';
import { Async, DataTable, ErrorMessage, Field, usePageTitle } from '../ui.tsx';
import { complaintsApi, type ComplaintSettings } from './api.ts';
import { t } from './text.ts';

export default function SettingsPage() {
  usePageTitle(() => t('complaints.settings.title'));
  const [settings, { refetch }] = createResource(canAuthor, () => complaintsApi.settings().then((answer) => answer.settings));
  return (
    <Show when={canAuthor()} fallback={<p class="alert alert-info">{t('complaints.settings.managersOnly')}</p>}>
      <p class="breadcrumb">
        <A href="/complaints">{t('complaints.settings.back')}</A>
      </p>
      <h1>{t('complaints.settings.title')}</h1>
      <p class="muted">{t('complaints.settings.intro')}</p>
      <Async resource={settings} onRetry={refetch}>
        {(loaded) => <SettingsForm initial={loaded} />}
      </Async>
    </Show>
  );
}

interface CategoryDraft {
  key: string;
  en: string;
  zh: string;
  major: boolean;
  retired: boolean;
  /** Added in this form: its key may still be edited. */
  added: boolean;
}

interface DayDraft {
  open: boolean;
  start: string;
  end: string;
}

/** The deadline targets set per severity: their label, their settings field and the draft's fields. */
const targetsBySeverity = [
  { label: 'nextResponse', field: 'nextResponseHours', draftKeys: { minor: 'nextMinor', major: 'nextMajor' } },
  { label: 'resolution', field: 'resolutionHours', draftKeys: { minor: 'resolutionMinor', major: 'resolutionMajor' } },
] as const;

function draftOf(settings: ComplaintSettings) {
  return {
    categories: settings.categories.map(
      (category): CategoryDraft => ({ key: category.key, en: category.label.en, zh: category.label['zh-CN'], major: category.major, retired: category.retired ?? false, added: false }),
    ),
    majorOrderValue: settings.majorOrderValue === null ? '' : String(settings.majorOrderValue),
    timeZone: settings.calendar.timeZone,
    alwaysOpen: settings.calendar.alwaysOpen,
    week: settings.calendar.week.map((day): DayDraft => (day ? { open: true, start: day.start, end: day.end } : { open: false, start: '09:00', end: '18:00' })),
    holidays: settings.calendar.holidays.join('\n'),
    extraWorkdays: settings.calendar.extraWorkdays.join('\n'),
    firstResponseHours: String(settings.targets.firstResponseHours),
    nextMinor: String(settings.targets.nextResponseHours.minor),
    nextMajor: String(settings.targets.nextResponseHours.major),
    resolutionMinor: String(settings.targets.resolutionHours.minor),
    resolutionMajor: String(settings.targets.resolutionHours.major),
    closeAfterDays: String(settings.closeAfterDays),
    reopenWindowDays: String(settings.reopenWindowDays),
    followUpDelayHours: String(settings.followUpDelayHours),
    alertManagerIds: [...settings.alertManagerIds],
  };
}

// A field left empty or not a number goes to the server as typed, so its own message names the field.
/** Monday first, as the calendar's week is. */
const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const number = (value: string) => (value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : (value as unknown as number));
const lines = (text: string) =>
  text
    .split(/[\n,]+/)
    .map((line) => line.trim())
    .filter(Boolean);

function SettingsForm(props: { initial: ComplaintSettings }) {
  const [draft, setDraft] = createStore(draftOf(props.initial));
  const [agents] = createResource(() => complaintsApi.agents().then((answer) => answer.agents));
  const managers = () => (agents() ?? []).filter((agent) => agent.role === 'manager' || draft.alertManagerIds.includes(agent.id));
  const form = createFormState();
  const [saved, setSaved] = createSignal(false);
  const [newKey, setNewKey] = createSignal('');

  const save = (event: SubmitEvent) => {
    event.preventDefault();
    setSaved(false);
    return form.run(async () => {
      const value: ComplaintSettings = {
        categories: draft.categories.map((category) => ({
          key: category.key.trim(),
          label: { en: category.en.trim(), 'zh-CN': category.zh.trim() },
          major: category.major,
          ...(category.retired ? { retired: true } : {}),
        })),
        majorOrderValue: draft.majorOrderValue.trim() === '' ? null : number(draft.majorOrderValue),
        calendar: {
          timeZone: draft.timeZone.trim(),
          alwaysOpen: draft.alwaysOpen,
          week: draft.week.map((day) => (day.open ? { start: day.start, end: day.end } : null)),
          holidays: lines(draft.holidays),
          extraWorkdays: lines(draft.extraWorkdays),
        },
        targets: {
          firstResponseHours: number(draft.firstResponseHours),
          nextResponseHours: { minor: number(draft.nextMinor), major: number(draft.nextMajor) },
          resolutionHours: { minor: number(draft.resolutionMinor), major: number(draft.resolutionMajor) },
        },
        closeAfterDays: number(draft.closeAfterDays),
        reopenWindowDays: number(draft.reopenWindowDays),
        followUpDelayHours: number(draft.followUpDelayHours),
        alertManagerIds: [...draft.alertManagerIds],
      };
      const answer = await complaintsApi.saveSettings(value);
      setDraft(draftOf(answer.settings));
      setSaved(true);
    });
  };
  const addCategory = () => {
    const key = newKey().trim();
    if (key === '') return;
    setDraft('categories', (list) => [...list, { key, en: '', zh: '', major: false, retired: false, added: true }]);
    setNewKey('');
  };
  const { busy, error } = form;
  /** The server's first message about a field or anything inside it (a list's entries: calendar.holidays.2). */
  const fieldError = (path: string) => {
    const found = Object.keys(form.fields()).find((key) => key === path || key.startsWith(`${path}.`));
    return found === undefined ? undefined : form.fieldError(found);
  };

  return (
    <form class="complaint-settings" onSubmit={save} novalidate data-testid="complaint-settings">
      <Show when={error()}>{(caught) => <ErrorMessage error={caught()} />}</Show>
      <section class="card" aria-labelledby="settings-categories">
        <h2 id="settings-categories">{t('complaints.settings.categories')}</h2>
        <p class="muted small">{t('complaints.settings.categoriesHint')}</p>
        <DataTable
          label={t('complaints.settings.categories')}
          class="categories-table"
          headers={[t('complaints.settings.colKey'), t('complaints.settings.colEn'), t('complaints.settings.colZh'), t('complaints.settings.colMajor'), t('complaints.settings.colRetired')]}
        >
          <Index each={draft.categories}>
            {(category, index) => (
              <tr data-testid="category-row" data-key={category().key}>
                <td class="nowrap">
                  <code>{category().key}</code>
                </td>
                <td>
                  <input
                    aria-label={`${t('complaints.settings.colEn')} · ${category().key}`}
                    name={`category-${index}-en`}
                    value={category().en}
                    lang="en"
                    onInput={(event) => setDraft('categories', index, 'en', event.currentTarget.value)}
                  />
                </td>
                <td>
                  <input
                    aria-label={`${t('complaints.settings.colZh')} · ${category().key}`}
                    name={`category-${index}-zh`}
                    value={category().zh}
                    lang="zh-CN"
                    onInput={(event) => setDraft('categories', index, 'zh', event.currentTarget.value)}
                  />
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`${t('complaints.settings.colMajor')} · ${category().key}`}
                    checked={category().major}
                    onChange={(event) => setDraft('categories', index, 'major', event.currentTarget.checked)}
                  />
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`${t('complaints.settings.colRetired')} · ${category().key}`}
                    checked={category().retired}
                    onChange={(event) => setDraft('categories', index, 'retired', event.currentTarget.checked)}
                  />
                  <Show when={category().added}>
                    {' '}
                    <button
                      type="button"
                      class="button button-small"
                      onClick={() => setDraft('categories', (list) => list.filter((_, at) => at !== index))}
                    >
                      {t('app.cancel')}
                    </button>
                  </Show>
                </td>
              </tr>
            )}
          </Index>
        </DataTable>
        <Show when={fieldError('categories')}>{(message) => <p class="field-error">{message()}</p>}</Show>
        <div class="filters-search">
          <Field label={t('complaints.settings.newKey')} name="newCategory" hint={t('complaints.settings.newKeyHint')} value={newKey()} onInput={setNewKey} />
          <button type="button" class="button" data-testid="add-category" onClick={addCategory}>
            {t('complaints.settings.addCategory')}
          </button>
        </div>
        <Field
          label={t('complaints.settings.majorOrderValue')}
          name="majorOrderValue"
          inputMode="numeric"
          value={draft.majorOrderValue}
          error={fieldError('majorOrderValue')}
          onInput={(value) => setDraft('majorOrderValue', value)}
        />
      </section>

      <section class="card" aria-labelledby="settings-calendar">
        <h2 id="settings-calendar">{t('complaints.settings.calendar')}</h2>
        <p class="muted small">{t('complaints.settings.calendarHint')}</p>
        <Field label={t('complaints.settings.timeZone')} name="timeZone" value={draft.timeZone} error={fieldError('calendar.timeZone')} onInput={(value) => setDraft('timeZone', value)} />
        <label class="checkbox">
          <input type="checkbox" name="alwaysOpen" checked={draft.alwaysOpen} onChange={(event) => setDraft('alwaysOpen', event.currentTarget.checked)} />
          {t('complaints.settings.alwaysOpen')}
        </label>
        <Show when={!draft.alwaysOpen}>
          <DataTable
            label={t('complaints.settings.calendar')}
            class="week-table"
            headers={[t('complaints.settings.day'), t('complaints.settings.open'), t('complaints.settings.from'), t('complaints.settings.to')]}
          >
            <Index each={draft.week}>
              {(day, index) => {
                const name = () => t(`complaints.settings.weekdays.${weekdays[index]!}`);
                return (
                  <tr data-testid="week-day">
                    <th scope="row">{name()}</th>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`${t('complaints.settings.open')} · ${name()}`}
                        checked={day().open}
                        onChange={(event) => setDraft('week', index, 'open', event.currentTarget.checked)}
                      />
                    </td>
                    <td>
                      <input
                        type="text"
                        inputMode="numeric"
                        class="time-input"
                        aria-label={`${t('complaints.settings.from')} · ${name()}`}
                        value={day().start}
                        disabled={!day().open}
                        onInput={(event) => setDraft('week', index, 'start', event.currentTarget.value)}
                      />
                    </td>
                    <td>
                      <input
                        type="text"
                        inputMode="numeric"
                        class="time-input"
                        aria-label={`${t('complaints.settings.to')} · ${name()}`}
                        value={day().end}
                        disabled={!day().open}
                        onInput={(event) => setDraft('week', index, 'end', event.currentTarget.value)}
                      />
                    </td>
                  </tr>
                );
              }}
            </Index>
          </DataTable>
          <Show when={fieldError('calendar.week')}>{(message) => <p class="field-error">{message()}</p>}</Show>
          <div class="grid-2">
            <Field
              label={t('complaints.settings.holidays')}
              name="holidays"
              multiline
              hint={t('complaints.settings.holidaysHint')}
              value={draft.holidays}
              error={fieldError('calendar.holidays')}
              onInput={(value) => setDraft('holidays', value)}
            />
            <Field
              label={t('complaints.settings.extraWorkdays')}
              name="extraWorkdays"
              multiline
              hint={t('complaints.settings.extraWorkdaysHint')}
              value={draft.extraWorkdays}
              error={fieldError('calendar.extraWorkdays')}
              onInput={(value) => setDraft('extraWorkdays', value)}
            />
          </div>
        </Show>
      </section>

      <section class="card" aria-labelledby="settings-targets">
        <h2 id="settings-targets">{t('complaints.settings.targets')}</h2>
        <div class="grid-2">
          <Field
            label={t('complaints.settings.firstResponse')}
            name="firstResponseHours"
            inputMode="numeric"
            value={draft.firstResponseHours}
            error={fieldError('targets.firstResponseHours')}
            onInput={(value) => setDraft('firstResponseHours', value)}
          />
          <For each={targetsBySeverity}>
            {(target) => (
              <For each={caseSeverities}>
                {(severity) => {
                  const key = target.draftKeys[severity];
                  return (
                    <Field
                      label={t(`complaints.settings.${target.label}`, { severity: t(`complaints.severities.${severity}`) })}
                      name={key}
                      inputMode="numeric"
                      value={draft[key]}
                      error={fieldError(`targets.${target.field}.${severity}`)}
                      onInput={(value) => setDraft(key, value)}
                    />
                  );
                }}
              </For>
            )}
          </For>
        </div>
      </section>

      <section class="card" aria-labelledby="settings-windows">
        <h2 id="settings-windows">{t('complaints.settings.windows')}</h2>
        <div class="grid-2">
          <Field label={t('complaints.settings.closeAfterDays')} name="closeAfterDays" inputMode="numeric" value={draft.closeAfterDays} error={fieldError('closeAfterDays')} onInput={(value) => setDraft('closeAfterDays', value)} />
          <Field label={t('complaints.settings.reopenWindowDays')} name="reopenWindowDays" inputMode="numeric" value={draft.reopenWindowDays} error={fieldError('reopenWindowDays')} onInput={(value) => setDraft('reopenWindowDays', value)} />
          <Field label={t('complaints.settings.followUpDelayHours')} name="followUpDelayHours" inputMode="numeric" value={draft.followUpDelayHours} error={fieldError('followUpDelayHours')} onInput={(value) => setDraft('followUpDelayHours', value)} />
        </div>
      </section>

      <section class="card" aria-labelledby="settings-managers">
        <h2 id="settings-managers">{t('complaints.settings.alertManagers')}</h2>
        <p class="muted small">{t('complaints.settings.alertManagersHint')}</p>
        <Show when={managers().length > 0} fallback={<p class="muted">{t('complaints.settings.noManagers')}</p>}>
          <For each={managers()}>
            {(manager) => (
              <label class="checkbox">
                <input
                  type="checkbox"
                  checked={draft.alertManagerIds.includes(manager.id)}
                  onChange={(event) => {
                    const on = event.currentTarget.checked;
                    setDraft(
                      produce((current) => {
                        current.alertManagerIds = on ? [...current.alertManagerIds, manager.id] : current.alertManagerIds.filter((id) => id !== manager.id);
                      }),
                    );
                  }}
                />
                {manager.name}
              </label>
            )}
          </For>
        </Show>
        <Show when={fieldError('alertManagerIds')}>{(message) => <p class="field-error">{message()}</p>}</Show>
      </section>

      <div class="actions">
        <button type="submit" class="button button-primary" disabled={busy()} data-testid="save-complaint-settings">
          {busy() ? t('complaints.settings.saving') : t('complaints.settings.save')}
        </button>
        <span role="status" class="muted" data-testid="complaint-settings-saved">
          {saved() ? t('complaints.settings.saved') : ''}
        </span>
      </div>
    </form>
  );
}
