// /responses/:id: one response, every question of the version it answered with the answer given.
import { A, useParams } from '@solidjs/router';
import { createResource, For, Show } from 'solid-js';
import { answerLabel, isVisible } from '../../../surveys/answers.ts';
import { type ResponseDetail, responsesApi } from './api.ts';
import { formatCount, formatDateTime, locale, localized } from '../i18n.ts';
import { formatDuration, t } from './text.ts';
import { Async, usePageTitle } from '../ui.tsx';
import { customerName } from '../text.ts';

export default function ResponsePage() {
  const params = useParams<{ id: string }>();
  const [detail, { refetch }] = createResource(() => params.id, (id) => responsesApi.response(id));
  return (
    <Async resource={detail} onRetry={refetch}>
      {(loaded) => <ResponseView detail={loaded} />}
    </Async>
  );
}

function ResponseView(props: { detail: ResponseDetail }) {
  const response = () => props.detail.response;
  const definition = () => props.detail.definition;
  usePageTitle(() => t('response.heading', { title: localized(definition().title) }));

  return (
    <>
      <p class="breadcrumb">
        <A href={`/surveys/${encodeURIComponent(response().surveyId)}/responses`}>← {t('response.back')}</A>
      </p>
      <div class="page-header">
        <h1>
          {t('response.heading', { title: localized(definition().title) })}
        </h1>
      </div>
      <section class="card" aria-labelledby="response-details">
        <h2 id="response-details">{t('response.details')}</h2>
        <dl class="details">
          <div>
            <dt>{t('responses.time')}</dt>
            <dd>
              <time datetime={response().submittedAt}>{formatDateTime(response().submittedAt)}</time>
            </dd>
          </div>
          <div>
            <dt>{t('responses.channel')}</dt>
            <dd>{t(`channels.${response().channel}`)}</dd>
          </div>
          <Show when={response().customer}>
            {(customer) => (
              <div>
                <dt>{t('response.customer')}</dt>
                <dd>
                  <A href={`/customers/${encodeURIComponent(customer().id)}`} data-testid="response-customer">
                    {customerName(customer().name)}
                  </A>
                </dd>
              </div>
            )}
          </Show>
          <Show when={response().campaign}>
            {(campaign) => (
              <div>
                <dt>{t('response.campaign')}</dt>
                <dd>
                  <A href={`/campaigns/${encodeURIComponent(campaign().id)}`} data-testid="response-campaign">
                    {campaign().name}
                  </A>
                </dd>
              </div>
            )}
          </Show>
          <Show when={response().interviewer}>
            {(interviewer) => (
              <div>
                <dt>{t('response.interviewer')}</dt>
                <dd data-testid="response-interviewer">{interviewer().name}</dd>
              </div>
            )}
          </Show>
          <div>
            <dt>{t('response.quality')}</dt>
            <dd data-testid="response-quality">
              <Show when={response().qualityFlags} fallback={t('response.qualityPending')}>
                {(flags) => (flags().length === 0 ? t('response.qualityClean') : flags().map((flag) => t(`response.flags.${flag}`)).join(' · '))}
              </Show>
            </dd>
          </div>
          <div>
            <dt>{t('responses.version')}</dt>
            <dd>{formatCount(response().version)}</dd>
          </div>
          <div>
            <dt>{t('responses.language')}</dt>
            <dd>
              {t(`locales.${response().locale}`)} ({response().locale})
            </dd>
          </div>
          <div>
            <dt>{t('responses.duration')}</dt>
            <dd>{formatDuration(response().durationMs)}</dd>
          </div>
          <Show when={response().hiddenFields && Object.keys(response().hiddenFields!).length > 0}>
            <div>
              <dt>{t('response.linkFields')}</dt>
              <dd>
                <For each={Object.entries(response().hiddenFields ?? {})}>
                  {([name, value]) => (
                    <div data-testid="link-field">
                      <code>{name}</code> = {value}
                    </div>
                  )}
                </For>
              </dd>
            </div>
          </Show>
        </dl>
      </section>
      <section class="card" aria-labelledby="response-answers">
        <h2 id="response-answers">{t('response.answers')}</h2>
        <ol class="answer-list">
          <For each={definition().questions}>
            {(question) => {
              const value = () => response().answers[question.id];
              const label = () => answerLabel(question, value(), locale());
              return (
                <li data-testid="response-answer" data-question={question.id}>
                  <p class="answer-question">{localized(question.title)}</p>
                  <Show
                    when={label()}
                    fallback={
                      <p class="answer-value muted">
                        {isVisible(question, response().answers) ? t('response.notAnswered') : t('response.notShown')}
                      </p>
                    }
                  >
                    <p class="answer-value">{label()}</p>
                  </Show>
                </li>
              );
            }}
          </For>
        </ol>
      </section>
    </>
  );
}
