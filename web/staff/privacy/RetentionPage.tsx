// /privacy/retention: admins set how long each kind of data is kept, read what happens to it then, and see what
// the next daily run will take (how many rows, the oldest among them), when that run is and what the last did.
// The counts come from the same selection the run uses (server/privacy/retention.ts). A save that makes the next
// run take more rows of some kind asks first, listing what that run would then take.
import { A } from '@solidjs/router';
import { createResource, createSignal, For, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import { createFormState } from '../forms.ts';
import { formatCount, formatDateTime } from '../i18n.ts';
import { isAdmin } from '../session.ts';
import { Async, ConfirmDialog, ErrorMessage, Field, Select, usePageTitle } from '../ui.tsx';
import { privacyApi, type RetentionPreview, type RetentionSettings, type RetentionView } from './api.ts';
import { t } from './text.ts';

type Kind = RetentionView['kinds'][number]['kind'];
type Unit = 'keep' | 'days' | 'months' | 'years';
type Period = RetentionView['kinds'][number]['period'];

export default function RetentionPage() {
  usePageTitle(() => t('retention.title'));
  const [view, { refetch }] = createResource(isAdmin, () => privacyApi.retention());
  return (
    <Show when={isAdmin()} fallback={<p class="alert alert-info">{t('retention.adminsOnly')}</p>}>
      <h1>{t('retention.title')}</h1>
      <p class="muted">{t('retention.intro')}</p>
      <p>
        <A href="/privacy/access-log" data-testid="retention-access-log">
          {t('retention.accessLogLink')}
        </A>
      </p>
      <Async resource={view} onRetry={refetch}>
        {(loaded) => <RetentionForm initial={loaded} />}
      </Async>
    </Show>
  );
}

const periodText = (period: Period) =>
  period.unit === 'keep'
    ? t('retention.keepForever')
    : t('retention.periodOf', { count: period.count, unit: period.count === 1 ? t(`retention.unitOne.${period.unit}`) : t(`retention.units.${period.unit}`) });

function RunSummary(props: { view: RetentionView }) {
  return (
    <div class="card" data-testid="retention-runs">
      <p data-testid="retention-next-run">{t('retention.nextRun', { at: formatDateTime(props.view.nextRunAt) })}</p>
      <Show when={props.view.lastRun} fallback={<p class="muted">{t('retention.noRunYet')}</p>}>
        {(last) => (
          <p data-testid="retention-last-run">
            {t('retention.lastRun', {
              at: formatDateTime(last().startedAt),
              state: last().finishedAt ? t('retention.lastRunFinished', { at: formatDateTime(last().finishedAt!) }) : t('retention.lastRunGoing'),
              counts: props.view.kinds.map((kind) => `${t(`retention.kinds.${kind.kind}`)} ${formatCount(last().counts[kind.kind] ?? 0)}`).join(' · '),
            })}
          </p>
        )}
      </Show>
    </div>
  );
}

interface DraftPeriod {
  unit: Unit;
  count: string;
}

const draftOf = (view: RetentionView): Record<Kind, DraftPeriod> =>
  Object.fromEntries(view.kinds.map((kind) => [kind.kind, { unit: kind.period.unit, count: kind.period.unit === 'keep' ? '' : String(kind.period.count) }])) as Record<Kind, DraftPeriod>;

function RetentionForm(props: { initial: RetentionView }) {
  const [view, setView] = createSignal(props.initial);
  const [draft, setDraft] = createStore(draftOf(props.initial));
  const form = createFormState();
  const [saved, setSaved] = createSignal<'saved' | 'cancelled' | null>(null);
  /** A save waiting for the admin's word: the periods and what the next run would then take of each kind that grows. */
  const [asking, setAsking] = createSignal<{ settings: RetentionSettings; preview: RetentionPreview; more: RetentionPreview['kinds'] } | null>(null);
  const { busy, error, fieldError } = form;
  const units: Unit[] = ['keep', 'days', 'months', 'years'];
  const problemOf = (kind: Kind) => fieldError(`settings.${kind}.count`) ?? fieldError(`settings.${kind}.unit`) ?? fieldError(`settings.${kind}`);
  const labelOf = (path: string) => {
    const kind = path.split('.')[1] as Kind | undefined;
    return kind && view().kinds.some((entry) => entry.kind === kind) ? t(`retention.kinds.${kind}`) : undefined;
  };

  const store = async (settings: RetentionSettings) => {
    const answer = await privacyApi.saveRetention(settings);
    setView(answer);
    setDraft(draftOf(answer));
    setSaved('saved');
  };

  const save = (event: SubmitEvent) => {
    event.preventDefault();
    setSaved(null);
    return form.run(async () => {
      // A count left empty or not a number goes as typed, so the server's message names what to give.
      const settings = Object.fromEntries(
        view().kinds.map(({ kind }) => {
          const period = draft[kind];
          if (period.unit === 'keep') return [kind, { unit: 'keep' }];
          const count = period.count.trim() !== '' && Number.isFinite(Number(period.count)) ? Number(period.count) : period.count;
          return [kind, { unit: period.unit, count }];
        }),
      ) as unknown as RetentionSettings;
      // The server checks the periods here too, and says what the next run would take with them.
      const preview = await privacyApi.previewRetention(settings);
      const now = new Map(view().kinds.map((kind) => [kind.kind, kind.due.count]));
      const more = preview.kinds.filter((kind) => kind.due.count > (now.get(kind.kind) ?? 0));
      if (more.length > 0) setAsking({ settings, preview, more });
      else await store(settings);
    });
  };

  const cancel = () => {
    setAsking(null);
    setSaved('cancelled');
  };

  return (
    <>
      <RunSummary view={view()} />
      <form class="card" onSubmit={save} novalidate data-testid="retention-settings">
        <Show when={error()}>{(caught) => <ErrorMessage error={caught()} labels={labelOf} />}</Show>
        <For each={view().kinds}>
          {(entry) => (
            <fieldset class="insights-settings-group" data-testid={`retention-${entry.kind}`}>
              <legend>{t(`retention.kinds.${entry.kind}`)}</legend>
              <p class="hint">{t(`retention.explain.${entry.kind}`)}</p>
              <div class="grid-2">
                <Select
                  label={t('retention.keptFor')}
                  name={`${entry.kind}-unit`}
                  value={draft[entry.kind].unit}
                  options={units.map((unit) => ({ value: unit, label: t(`retention.units.${unit}`) }))}
                  onChange={(unit) => setDraft(entry.kind, { unit, count: unit !== 'keep' && draft[entry.kind].count === '' ? '1' : draft[entry.kind].count })}
                  hint={t('retention.defaultIs', { period: periodText(entry.defaultPeriod) })}
                  error={draft[entry.kind].unit === 'keep' ? problemOf(entry.kind) : undefined}
                />
                <Show when={draft[entry.kind].unit !== 'keep' ? (draft[entry.kind].unit as Exclude<Unit, 'keep'>) : undefined}>
                  {(unit) => (
                    <Field
                      label={t(`retention.countOf.${unit()}`)}
                      name={`${entry.kind}-count`}
                      inputMode="numeric"
                      value={draft[entry.kind].count}
                      error={problemOf(entry.kind)}
                      onInput={(value) => setDraft(entry.kind, 'count', value)}
                    />
                  )}
                </Show>
              </div>
              <dl class="retention-facts">
                <dt>{t('retention.colAction')}</dt>
                <dd data-testid="retention-action">{t(`retention.actions.${entry.action}`)}</dd>
                <dt>{t('retention.colNext')}</dt>
                <dd data-testid="retention-due">
                  <Show when={entry.due.count > 0} fallback={t('retention.nothingDue')}>
                    {t('retention.due', { count: formatCount(entry.due.count), action: t(`retention.actionWords.${entry.action}`) })}
                    <Show when={entry.due.oldest}>{(oldest) => t('retention.oldest', { at: formatDateTime(oldest()) })}</Show>
                  </Show>
                </dd>
              </dl>
            </fieldset>
          )}
        </For>
        <div class="actions">
          <button type="submit" class="button button-primary" disabled={busy()} data-testid="save-retention">
            {busy() ? t('retention.saving') : t('retention.save')}
          </button>
        </div>
        <p role="status" data-testid="retention-saved">
          {saved() === 'saved' ? t('retention.saved') : saved() === 'cancelled' ? t('retention.cancelled') : ''}
        </p>
      </form>
      <ConfirmDialog
        open={asking() !== null}
        title={t('retention.confirmTitle')}
        confirmLabel={busy() ? t('retention.saving') : t('retention.confirmSave')}
        confirmTestId="confirm-retention"
        danger
        busy={busy()}
        onConfirm={() => {
          const waiting = asking();
          setAsking(null);
          if (waiting) void form.run(() => store(waiting.settings));
        }}
        onCancel={cancel}
      >
        <Show when={asking()}>
          {(waiting) => (
            <>
              <p>{t('retention.confirmBody', { at: formatDateTime(waiting().preview.nextRunAt) })}</p>
              <ul data-testid="retention-confirm-list">
                <For each={waiting().more}>
                  {(kind) => (
                    <li>
                      {t('retention.confirmKind', {
                        kind: t(`retention.kinds.${kind.kind}`),
                        due:
                          t('retention.due', { count: formatCount(kind.due.count), action: t(`retention.actionWords.${kind.action}`) }) +
                          (kind.due.oldest ? t('retention.oldest', { at: formatDateTime(kind.due.oldest) }) : ''),
                      })}
                    </li>
                  )}
                </For>
              </ul>
            </>
          )}
        </Show>
      </ConfirmDialog>
    </>
  );
}
