// /surveys: every survey with its status, and the ways to start a new one (blank or from a template).
import { A, useNavigate } from '@solidjs/router';
import { createResource, createSignal, For, Show } from 'solid-js';
import { surveysApi, type SurveySummary } from './api.ts';
import { formatCount, formatDateTime, localized } from '../i18n.ts';
import { t } from './text.ts';
import { Async, DataTable, ErrorMessage, Loading, StatusBadge, usePageTitle } from '../ui.tsx';

export default function SurveysPage() {
  usePageTitle(() => t('surveys.title'));
  const navigate = useNavigate();
  const [surveys, { refetch }] = createResource(async () => (await surveysApi.surveys()).surveys);
  const [pickingTemplate, setPickingTemplate] = createSignal(false);
  // Templates load only when the picker opens.
  const [templates, templatesActions] = createResource(pickingTemplate, async () => (await surveysApi.templates()).templates);
  const [creating, setCreating] = createSignal(false);
  const [createError, setCreateError] = createSignal<unknown>(null);

  const create = async (input: { templateId?: string }) => {
    if (creating()) return;
    setCreating(true);
    setCreateError(null);
    try {
      const { survey } = await surveysApi.createSurvey(input);
      navigate(`/surveys/${encodeURIComponent(survey.id)}`);
    } catch (error) {
      setCreateError(error);
    } finally {
      setCreating(false);
    }
  };

  return (
    <>
      <div class="page-header">
        <h1>{t('surveys.title')}</h1>
        <div class="actions">
          <button type="button" class="button button-primary" disabled={creating()} onClick={() => create({})}>
            {t('surveys.newBlank')}
          </button>
          <button
            type="button"
            class="button"
            data-testid="new-from-template"
            aria-expanded={pickingTemplate()}
            aria-controls="template-picker"
            onClick={() => setPickingTemplate(!pickingTemplate())}
          >
            {t('surveys.fromTemplate')}
          </button>
        </div>
      </div>

      <Show when={creating()}>
        <Loading label={t('surveys.creating')} />
      </Show>
      <Show when={createError()}>{(error) => <ErrorMessage error={error()} />}</Show>

      <Show when={pickingTemplate()}>
        <section id="template-picker" class="card template-picker" aria-labelledby="template-picker-title">
          <h2 id="template-picker-title">{t('surveys.chooseTemplate')}</h2>
          <Async resource={templates} onRetry={templatesActions.refetch}>
            {(list) => (
              <Show when={list.length > 0} fallback={<p class="empty">{t('surveys.noTemplates')}</p>}>
                <ul class="template-list">
                  <For each={list}>
                    {(template) => (
                      <li>
                        <button
                          type="button"
                          class="template-choice"
                          data-testid={`template-${template.id}`}
                          disabled={creating()}
                          onClick={() => create({ templateId: template.id })}
                        >
                          <strong>{localized(template.definition.title)}</strong>
                          <span class="muted">
                            {t(`kinds.${template.definition.kind}`)} ·{' '}
                            {t('surveys.templateQuestions', { count: template.definition.questions.length })}
                          </span>
                        </button>
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
            )}
          </Async>
        </section>
      </Show>

      <Async resource={surveys} onRetry={refetch}>
        {(list) => (
          <Show when={list.length > 0} fallback={<p class="empty">{t('surveys.empty')}</p>}>
            <SurveyTable surveys={list} />
          </Show>
        )}
      </Async>
    </>
  );
}

function SurveyTable(props: { surveys: SurveySummary[] }) {
  return (
    <DataTable
      label={t('surveys.tableLabel')}
      headers={[
        t('surveys.colTitle'),
        t('surveys.colKind'),
        t('surveys.colStatus'),
        { label: t('surveys.colVersion'), numeric: true },
        { label: t('surveys.colResponses'), numeric: true },
        t('surveys.colUpdated'),
      ]}
    >
      <For each={props.surveys}>
        {(survey) => (
          <tr data-testid="survey-row">
            <td>
              <A href={`/surveys/${encodeURIComponent(survey.id)}`} class="strong-link">
                {localized(survey.title)}
              </A>
              <div class="muted small">/s/{survey.slug}</div>
            </td>
            <td>{t(`kinds.${survey.kind}`)}</td>
            <td>
              <StatusBadge status={survey.status} />
            </td>
            <td class="numeric">
              <Show when={survey.latestVersion !== null} fallback={<span class="muted">{t('surveys.notPublished')}</span>}>
                {formatCount(survey.latestVersion!)}
                <Show when={survey.hasUnpublishedChanges}>
                  <div class="muted small">{t('surveys.unpublishedChanges')}</div>
                </Show>
              </Show>
            </td>
            <td class="numeric">{formatCount(survey.responseCount)}</td>
            <td>
              <time datetime={survey.updatedAt}>{formatDateTime(survey.updatedAt)}</time>
            </td>
          </tr>
        )}
      </For>
    </DataTable>
  );
}
