// /surveys/:id/responses: the responses explorer. Every filter lives in the page's address (a view is shared
// by link and comes back on reload); the summary of every question and the first page of the table are read
// for it, and the CSV link exports exactly that set.
import { A, useNavigate, useParams, useSearchParams } from '@solidjs/router';
import { createMemo, createResource, createSignal, For, Match, Show, Switch } from 'solid-js';
import { answerLabel } from '../../../surveys/answers.ts';
import type { Question } from '../../../surveys/definition.ts';
import { formatCount, formatDateTime, locale, localized } from '../i18n.ts';
import { canAuthor } from '../session.ts';
import { Async, ErrorMessage, LoadMore, TableScroll, usePageTitle } from '../ui.tsx';
import { explorerCsvHref, responsesApi, type ExplorerOptions, type ExplorerPage as Page, type ExplorerRow, type QuestionSummary } from './api.ts';
import {
  answerFilter,
  filtersOf,
  paramsOf,
  parseAnswer,
  queryOf,
  testsFor,
  testSymbols,
  type AnswerTest,
  type ExplorerFilters,
} from './explorer-filters.ts';
import { t } from './text.ts';
import { customerName } from '../text.ts';

const channels = ['web', 'mail', 'phone', 'onsite'] as const;
const qualities = ['clean', 'flagged', 'speeder', 'straight_liner', 'duplicate'] as const;

const formatValue = (value: number | null, digits = 2) =>
  value === null ? '—' : new Intl.NumberFormat(locale(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
const formatShare = (share: number) => new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 1 }).format(share);

export default function ExplorerPage() {
  const params = useParams<{ id: string }>();
  const [search] = useSearchParams();
  const customerParam = () => (typeof search.customer === 'string' ? search.customer : '');
  const [options, { refetch }] = createResource(() => [params.id, customerParam()] as const, ([id, customer]) => responsesApi.explorerOptions(id, customer || undefined));
  usePageTitle(() => (options() ? t('explorer.heading', { title: localized(options()!.survey.title) }) : t('app.loading')));
  return (
    <Async resource={options} onRetry={refetch}>
      {(loaded) => <Explorer options={loaded} />}
    </Async>
  );
}

function Explorer(props: { options: ExplorerOptions }) {
  const [params, setParams] = useSearchParams();
  const filters = createMemo(() => filtersOf({ ...params }));
  const query = createMemo(() => queryOf(filters()));
  const change = (next: Partial<ExplorerFilters>) => setParams(paramsOf({ ...filters(), ...next }));
  const surveyId = () => props.options.survey.id;
  const [summary, summaryActions] = createResource(() => [surveyId(), query()] as const, ([id, q]) => responsesApi.summary(id, q));
  const [firstPage, pageActions] = createResource(() => [surveyId(), query()] as const, ([id, q]) => responsesApi.page(id, q));

  return (
    <>
      <p class="breadcrumb">
        <Show when={canAuthor()} fallback={<A href="/responses">← {t('explorer.backToSurveys')}</A>}>
          <A href={`/surveys/${encodeURIComponent(surveyId())}`}>← {t('explorer.backToSurvey')}</A>
        </Show>
      </p>
      <div class="page-header">
        <div>
          <h1>{t('explorer.heading', { title: localized(props.options.survey.title) })}</h1>
          <p class="muted">
            {props.options.survey.slug} · {t(`status.${props.options.survey.status}`)}
          </p>
        </div>
        <a class="button button-small" href={explorerCsvHref(surveyId(), query(), locale())} download="" data-testid="responses-csv">
          {t('explorer.downloadCsv')}
        </a>
      </div>
      <p class="muted">{t('explorer.intro')}</p>
      <FilterBar options={props.options} filters={filters()} onChange={change} />
      <section class="explorer-summary" aria-labelledby="explorer-summary-title">
        <h2 id="explorer-summary-title">{t('explorer.summary.title')}</h2>
        <Switch>
          <Match when={summary.error}>
            <ErrorMessage error={summary.error} onRetry={summaryActions.refetch} />
          </Match>
          <Match when={summary()}>
            {(loaded) => (
              <>
                <p class="explorer-n" data-testid="explorer-n" aria-live="polite">
                  {t('explorer.summary.n', { n: formatCount(loaded().n) })}
                </p>
                <Show when={loaded().pending > 0}>
                  <p class="muted">{t('explorer.summary.pending', { n: formatCount(loaded().pending) })}</p>
                </Show>
                <div class="explorer-cards">
                  <For each={loaded().questions}>{(question) => <SummaryCard summary={question} />}</For>
                </div>
              </>
            )}
          </Match>
          <Match when={summary.loading}>
            <p class="loading" role="status">
              {t('app.loading')}
            </p>
          </Match>
        </Switch>
      </section>
      <section aria-labelledby="explorer-table-title">
        <h2 id="explorer-table-title">{t('explorer.table.title')}</h2>
        <Async resource={firstPage} onRetry={pageActions.refetch}>
          {(page) => <ResponsesTable questions={props.options.questions} surveyId={surveyId()} query={query()} firstPage={page} />}
        </Async>
      </section>
    </>
  );
}

function FilterBar(props: { options: ExplorerOptions; filters: ExplorerFilters; onChange: (next: Partial<ExplorerFilters>) => void }) {
  const [search, setSearch] = createSignal(props.filters.q ?? '');
  const toggleChannel = (channel: string, on: boolean) =>
    props.onChange({ channel: on ? [...props.filters.channel, channel] : props.filters.channel.filter((each) => each !== channel) });
  const questionOf = (id: string) => props.options.questions.find((question) => question.id === id);
  return (
    <form
      class="explorer-filters"
      aria-label={t('explorer.filters.label')}
      onSubmit={(event) => {
        event.preventDefault();
        props.onChange({ q: search().trim() || undefined });
      }}
    >
      <div class="explorer-filter-row">
        <label>
          {t('explorer.filters.from')}
          <input type="date" value={props.filters.from ?? ''} onChange={(event) => props.onChange({ from: event.currentTarget.value || undefined })} data-testid="explorer-from" />
        </label>
        <label>
          {t('explorer.filters.to')}
          <input type="date" value={props.filters.to ?? ''} onChange={(event) => props.onChange({ to: event.currentTarget.value || undefined })} data-testid="explorer-to" />
        </label>
        <fieldset class="explorer-channels">
          <legend>{t('explorer.filters.channels')}</legend>
          <For each={channels}>
            {(channel) => (
              <label class="checkbox">
                <input type="checkbox" checked={props.filters.channel.includes(channel)} onChange={(event) => toggleChannel(channel, event.currentTarget.checked)} />
                {t(`channels.${channel}`)}
              </label>
            )}
          </For>
        </fieldset>
        <Show when={props.options.campaigns.length > 0}>
          <label>
            {t('explorer.filters.campaign')}
            <select value={props.filters.campaign ?? ''} onChange={(event) => props.onChange({ campaign: event.currentTarget.value || undefined })} data-testid="explorer-campaign">
              <option value="">{t('explorer.filters.allCampaigns')}</option>
              <For each={props.options.campaigns}>{(campaign) => <option value={campaign.id}>{campaign.name}</option>}</For>
            </select>
          </label>
        </Show>
        <label>
          {t('explorer.filters.segment')}
          <select value={props.filters.segment ?? ''} onChange={(event) => props.onChange({ segment: event.currentTarget.value || undefined })} data-testid="explorer-segment">
            <option value="">{t('explorer.filters.allSegments')}</option>
            <For each={props.options.segments}>{(segment) => <option value={segment}>{segment}</option>}</For>
          </select>
        </label>
        <label>
          {t('explorer.filters.quality')}
          <select value={props.filters.quality ?? ''} onChange={(event) => props.onChange({ quality: event.currentTarget.value || undefined })} data-testid="explorer-quality">
            <option value="">{t('explorer.filters.qualities.any')}</option>
            <For each={qualities}>{(quality) => <option value={quality}>{t(`explorer.filters.qualities.${quality}`)}</option>}</For>
          </select>
        </label>
      </div>
      <div class="explorer-filter-row">
        <label class="explorer-search">
          {t('explorer.filters.search')}
          <input type="search" value={search()} onInput={(event) => setSearch(event.currentTarget.value)} maxLength={200} data-testid="explorer-search" />
        </label>
        <button type="submit" class="button button-small">
          {t('explorer.filters.searchButton')}
        </button>
      </div>
      <p class="muted small">{t('explorer.filters.searchHint')}</p>
      <AnswerFilterAdder questions={props.options.questions} onAdd={(filter) => props.onChange({ answer: [...props.filters.answer.filter((each) => each !== filter), filter] })} />
      <Show when={props.filters.answer.length > 0 || props.filters.customer || props.filters.q}>
        <ul class="explorer-chips" aria-label={t('explorer.filters.answers')}>
          <Show when={props.filters.customer}>
            {(customer) => {
              const name = () => (props.options.customer?.id === customer() ? customerName(props.options.customer.name) : customer());
              return (
              <li class="chip" data-testid="explorer-customer-chip">
                {t('explorer.filters.customer', { id: name() })}
                <button type="button" class="chip-remove" aria-label={t('explorer.filters.remove', { filter: t('explorer.filters.customer', { id: name() }) })} onClick={() => props.onChange({ customer: undefined })}>
                  ×
                </button>
              </li>
              );
            }}
          </Show>
          <For each={props.filters.answer}>
            {(filter) => {
              const words = () => describeAnswer(filter, questionOf);
              return (
                <li class="chip" data-testid="explorer-chip">
                  {words()}
                  <button
                    type="button"
                    class="chip-remove"
                    aria-label={t('explorer.filters.remove', { filter: words() })}
                    onClick={() => props.onChange({ answer: props.filters.answer.filter((each) => each !== filter) })}
                  >
                    ×
                  </button>
                </li>
              );
            }}
          </For>
        </ul>
      </Show>
      <p class="muted small">
        {t('explorer.filters.timeZone', { zone: props.options.timeZone })}{' '}
        <button
          type="button"
          class="button-link"
          onClick={() => {
            setSearch('');
            props.onChange({ from: undefined, to: undefined, channel: [], campaign: undefined, customer: undefined, segment: undefined, quality: undefined, q: undefined, answer: [] });
          }}
        >
          {t('explorer.filters.clear')}
        </button>
      </p>
    </form>
  );
}

/** "Why did you visit? is A repair", "Service c = experience ÷ expectation below 1". */
function describeAnswer(filter: string, questionOf: (id: string) => Question | undefined): string {
  const parsed = parseAnswer(filter);
  const question = parsed && questionOf(parsed.question);
  if (!parsed || !question) return filter;
  const title = localized(question.title);
  const part = parsed.part ? ` (${t(`explorer.filters.parts.${parsed.part as 'c'}`)})` : '';
  let value = parsed.value ?? '';
  if ((question.type === 'single_choice' || question.type === 'multiple_choice') && parsed.value) {
    value = localized(question.options.find((option) => option.id === parsed.value)?.label) || parsed.value;
  }
  if (question.type === 'consent' && parsed.value) value = parsed.value === 'yes' ? t('explorer.filters.yes') : t('explorer.filters.no');
  const symbol = testSymbols[parsed.test];
  return `${title}${part} ${symbol && question.type !== 'single_choice' && question.type !== 'multiple_choice' && question.type !== 'consent' ? symbol : t(`explorer.filters.tests.${parsed.test}`)}${value ? ` ${value}` : ''}`;
}

function AnswerFilterAdder(props: { questions: Question[]; onAdd: (filter: string) => void }) {
  const [questionId, setQuestionId] = createSignal(props.questions[0]?.id ?? '');
  const [part, setPart] = createSignal('experience');
  const [test, setTest] = createSignal<AnswerTest>('le');
  const [value, setValue] = createSignal('');
  const question = () => props.questions.find((each) => each.id === questionId());
  const currentPart = () => (question()?.type === 'expectation_experience' ? part() : undefined);
  const tests = () => (question() ? testsFor(question()!, currentPart()) : []);
  const chosenTest = () => (tests().includes(test()) ? test() : tests()[0]!);
  const needsValue = () => chosenTest() !== 'answered' && chosenTest() !== 'unanswered';
  const valueOptions = (): { value: string; label: string }[] | null => {
    const current = question();
    if (!current) return null;
    if (current.type === 'single_choice' || current.type === 'multiple_choice') return current.options.map((option) => ({ value: option.id, label: localized(option.label) }));
    if (current.type === 'consent') return [{ value: 'yes', label: t('explorer.filters.yes') }, { value: 'no', label: t('explorer.filters.no') }];
    return null;
  };
  const chosenValue = () => {
    const choices = valueOptions();
    if (choices) return choices.some((choice) => choice.value === value()) ? value() : choices[0]!.value;
    return value();
  };
  return (
    <fieldset class="explorer-answer-adder">
      <legend>{t('explorer.filters.answers')}</legend>
      <label>
        {t('explorer.filters.question')}
        <select value={questionId()} onChange={(event) => setQuestionId(event.currentTarget.value)} data-testid="explorer-question">
          <For each={props.questions}>{(each) => <option value={each.id}>{localized(each.title)}</option>}</For>
        </select>
      </label>
      <Show when={question()?.type === 'expectation_experience'}>
        <label>
          {t('explorer.filters.part')}
          <select value={part()} onChange={(event) => setPart(event.currentTarget.value)} data-testid="explorer-part">
            <For each={['experience', 'expectation', 'importance', 'c'] as const}>{(each) => <option value={each}>{t(`explorer.filters.parts.${each}`)}</option>}</For>
          </select>
        </label>
      </Show>
      <label>
        {t('explorer.filters.test')}
        <select value={chosenTest()} onChange={(event) => setTest(event.currentTarget.value as AnswerTest)} data-testid="explorer-test">
          <For each={tests()}>{(each) => <option value={each}>{t(`explorer.filters.tests.${each}`)}</option>}</For>
        </select>
      </label>
      <Show when={needsValue()}>
        <label>
          {t('explorer.filters.value')}
          <Show
            when={valueOptions()}
            fallback={<input type="number" step="any" value={value()} onInput={(event) => setValue(event.currentTarget.value)} class="input-narrow" data-testid="explorer-value" />}
          >
            {(choices) => (
              <select value={chosenValue()} onChange={(event) => setValue(event.currentTarget.value)} data-testid="explorer-value">
                <For each={choices()}>{(choice) => <option value={choice.value}>{choice.label}</option>}</For>
              </select>
            )}
          </Show>
        </label>
      </Show>
      <button
        type="button"
        class="button button-small"
        data-testid="explorer-add"
        onClick={() => {
          if (!question() || (needsValue() && chosenValue().trim() === '')) return;
          const part = currentPart();
          props.onAdd(answerFilter({ question: questionId(), ...(part ? { part } : {}), test: chosenTest(), ...(needsValue() ? { value: chosenValue().trim() } : {}) }));
        }}
      >
        {t('explorer.filters.add')}
      </button>
    </fieldset>
  );
}

function Estimate(props: { label: string; estimate: { n: number; mean: number | null; low: number | null; high: number | null }; digits?: number }) {
  return (
    <p class="explorer-estimate">
      <span>{props.label}</span> <strong>{formatValue(props.estimate.mean, props.digits)}</strong>{' '}
      <span class="muted">
        {t('explorer.summary.interval')} {formatValue(props.estimate.low, props.digits)}–{formatValue(props.estimate.high, props.digits)} · {t('explorer.summary.questionN', { n: formatCount(props.estimate.n) })}
      </span>
    </p>
  );
}

function Distribution(props: { title: string; n: number; shares: { value: string; label: { en: string; 'zh-CN': string }; count: number }[] }) {
  return (
    <table class="explorer-distribution" aria-label={t('explorer.summary.distributionLabel', { title: props.title })}>
      <thead class="sr-only">
        <tr>
          <th scope="col">{t('explorer.summary.value')}</th>
          <th scope="col">{t('explorer.summary.share')}</th>
          <th scope="col">{t('explorer.summary.count')}</th>
        </tr>
      </thead>
      <tbody>
        <For each={props.shares}>
          {(share) => {
            const fraction = () => (props.n > 0 ? share.count / props.n : 0);
            return (
              <tr>
                <th scope="row">{localized(share.label)}</th>
                <td class="explorer-bar-cell">
                  <span class="explorer-bar" style={{ width: `${(fraction() * 100).toFixed(1)}%` }} />
                  <span class="explorer-share">{formatShare(fraction())}</span>
                </td>
                <td class="numeric">{formatCount(share.count)}</td>
              </tr>
            );
          }}
        </For>
      </tbody>
    </table>
  );
}

function SummaryCard(props: { summary: QuestionSummary }) {
  const title = () => localized(props.summary.title);
  return (
    <article class="card explorer-card" data-testid="explorer-card" data-question={props.summary.id}>
      <h3>{title()}</h3>
      <p class="muted">{t('explorer.summary.questionN', { n: formatCount(props.summary.n) })}</p>
      <Show when={props.summary.n > 0 || props.summary.kind === 'text'} fallback={<p class="muted">{t('explorer.summary.noAnswers')}</p>}>
        <Switch>
          <Match when={props.summary.kind === 'scale' && props.summary}>
            {(summary) => (
              <>
                <Show when={(summary() as Extract<QuestionSummary, { kind: 'scale' }>).headline}>
                  {(headline) => (
                    <Estimate
                      label={t(`explorer.summary.figures.${headline().figure}`)}
                      estimate={{ n: summary().n, mean: headline().value, low: headline().low, high: headline().high }}
                      digits={1}
                    />
                  )}
                </Show>
                <Estimate label={t('explorer.summary.mean')} estimate={(summary() as Extract<QuestionSummary, { kind: 'scale' }>).mean} />
                <Distribution title={title()} n={summary().n} shares={(summary() as Extract<QuestionSummary, { kind: 'scale' }>).distribution} />
              </>
            )}
          </Match>
          <Match when={props.summary.kind === 'pair' && (props.summary as Extract<QuestionSummary, { kind: 'pair' }>)}>
            {(pair) => (
              <>
                <Estimate label={t('explorer.summary.c')} estimate={pair().c} />
                <p class="muted">{t('explorer.summary.below', { n: formatCount(pair().below) })}</p>
                <Estimate label={t('explorer.summary.expectation')} estimate={pair().expectation} />
                <Estimate label={t('explorer.summary.experience')} estimate={pair().experience} />
                <Show when={pair().importance}>{(importance) => <Estimate label={t('explorer.summary.importance')} estimate={importance()} />}</Show>
                <Distribution title={`${title()} (${t('explorer.summary.experience')})`} n={pair().n} shares={pair().distribution} />
              </>
            )}
          </Match>
          <Match when={props.summary.kind === 'choice' && (props.summary as Extract<QuestionSummary, { kind: 'choice' }>)}>
            {(choice) => <Distribution title={title()} n={choice().n} shares={choice().distribution} />}
          </Match>
          <Match when={props.summary.kind === 'text' && props.summary}>
            {(text) => (
              <>
                <h4>{t('explorer.summary.newestComments')}</h4>
                <Show when={(text().comments ?? []).length > 0} fallback={<p class="muted">{t('explorer.summary.noComments')}</p>}>
                  <ul class="explorer-comments">
                    <For each={text().comments ?? []}>
                      {(comment) => (
                        <li>
                          <q>{comment.text}</q>{' '}
                          <A href={`/responses/${encodeURIComponent(comment.responseId)}`} class="muted">
                            <time datetime={comment.submittedAt}>{formatDateTime(comment.submittedAt)}</time>
                          </A>
                        </li>
                      )}
                    </For>
                  </ul>
                </Show>
              </>
            )}
          </Match>
        </Switch>
      </Show>
    </article>
  );
}

/** The cell of one answer: a pair as expectation → experience, options by their label. */
function answerCell(question: Question, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (question.type === 'expectation_experience' && typeof value === 'object') {
    const pair = value as { expectation?: number; experience?: number; importance?: number };
    return `${pair.expectation ?? '—'} → ${pair.experience ?? '—'}${pair.importance !== undefined ? ` (${pair.importance})` : ''}`;
  }
  return answerLabel(question, value as never, locale());
}

function ResponsesTable(props: { questions: Question[]; surveyId: string; query: string; firstPage: Page }) {
  const navigate = useNavigate();
  const [more, setMore] = createSignal<Page[]>([]);
  const rows = (): ExplorerRow[] => [...props.firstPage.responses, ...more().flatMap((page) => page.responses)];
  const nextBefore = () => (more().length > 0 ? more()[more().length - 1]!.nextBefore : props.firstPage.nextBefore);
  const loadMore = async (before: string) => setMore([...more(), await responsesApi.page(props.surveyId, props.query, before)]);
  return (
    <Show when={rows().length > 0} fallback={<div class="empty-state"><p class="empty">{t('explorer.table.empty')}</p><p class="muted">{t('explorer.table.emptyHint')}</p></div>}>
      <p class="muted small">{t('explorer.table.scrollHint')}</p>
      <TableScroll label={t('explorer.table.label')}>
        <table class="table table-clickable explorer-table">
          <thead>
            <tr>
              <th scope="col">{t('explorer.table.time')}</th>
              <th scope="col">{t('explorer.table.channel')}</th>
              <th scope="col">{t('explorer.table.customer')}</th>
              <th scope="col">{t('explorer.table.campaign')}</th>
              <th scope="col">{t('explorer.table.flags')}</th>
              <For each={props.questions}>{(question) => <th scope="col" title={localized(question.title)}>{localized(question.title)}</th>}</For>
            </tr>
          </thead>
          <tbody>
            <For each={rows()}>
              {(row) => (
                <tr
                  data-testid="response-row"
                  onClick={(event) => {
                    if ((event.target as Element).closest('a')) return;
                    navigate(`/responses/${encodeURIComponent(row.id)}`);
                  }}
                >
                  <td class="nowrap">
                    <A href={`/responses/${encodeURIComponent(row.id)}`}>
                      <time datetime={row.submittedAt}>{formatDateTime(row.submittedAt)}</time>
                    </A>
                  </td>
                  <td>{t(`channels.${row.channel}`)}</td>
                  <td>{customerName(row.customer?.name) ?? ''}</td>
                  <td>{row.campaign?.name ?? ''}</td>
                  <td>{row.flags === 0 ? '' : t('explorer.table.flagged')}</td>
                  <For each={props.questions}>{(question) => <td class="answer-cell">{answerCell(question, row.answers[question.id])}</td>}</For>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </TableScroll>
      <LoadMore nextBefore={nextBefore()} load={loadMore} />
    </Show>
  );
}
