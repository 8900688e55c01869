// /complaints/reassign: managers and admins move every case an agent holds (not yet closed) to the people they
// pick, shared out in turn: before someone leaves (their account cannot be deactivated while they hold cases)
// or goes on holiday.
import { A } from '@solidjs/router';
import { createResource, createSignal, For, Show } from 'solid-js';
import { createFormState } from '../forms.ts';
import { canAuthor } from '../session.ts';
import { Async, ErrorMessage, Select, usePageTitle } from '../ui.tsx';
import { complaintsApi, type Agent } from './api.ts';
import { t } from './text.ts';

export default function ReassignPage() {
  usePageTitle(() => t('complaints.reassign.title'));
  const [agents, { refetch }] = createResource(canAuthor, () => complaintsApi.agents().then((answer) => answer.agents));
  const [done, setDone] = createSignal('');
  return (
    <Show when={canAuthor()} fallback={<p class="alert alert-info">{t('complaints.settings.managersOnly')}</p>}>
      <p class="breadcrumb">
        <A href="/complaints">{t('complaints.reassign.back')}</A>
      </p>
      <h1>{t('complaints.reassign.title')}</h1>
      <p class="muted">{t('complaints.reassign.intro')}</p>
      {/* Kept outside the form: reading the counts again builds the form anew. */}
      <p role="status" class="alert alert-success" data-testid="reassign-done" hidden={done() === ''}>
        {done()}
      </p>
      <Async resource={agents} onRetry={refetch}>
        {(list) => (
          <ReassignForm
            agents={list}
            onMoved={(message) => {
              setDone(message);
              void refetch();
            }}
          />
        )}
      </Async>
    </Show>
  );
}

function ReassignForm(props: { agents: Agent[]; onMoved: (message: string) => void }) {
  const [from, setFrom] = createSignal('');
  const [to, setTo] = createSignal<string[]>([]);
  const [missing, setMissing] = createSignal(false);
  const form = createFormState();
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (!from() || to().length === 0) return setMissing(true);
    setMissing(false);
    return form.run(async () => {
      const answer = await complaintsApi.reassign({ fromUserId: from(), toUserIds: to() });
      props.onMoved(t('complaints.reassign.done', { n: answer.moved }));
    });
  };
  return (
    <form class="card reassign-form" onSubmit={submit} novalidate data-testid="reassign-form">
      <Show when={form.error()}>{(caught) => <ErrorMessage error={caught()} />}</Show>
      <Show when={missing()}>
        <p class="field-error">{t('complaints.reassign.nobody')}</p>
      </Show>
      <Select
        label={t('complaints.reassign.from')}
        name="fromUserId"
        value={from()}
        placeholder={t('complaints.reassign.choose')}
        options={props.agents.map((agent) => ({ value: agent.id, label: t('complaints.reassign.holds', { name: agent.name, n: agent.openCases }) }))}
        error={form.fieldError('fromUserId')}
        onChange={(value) => {
          setFrom(value);
          setTo(to().filter((id) => id !== value));
        }}
      />
      <fieldset class="subgroup">
        <legend>{t('complaints.reassign.to')}</legend>
        <p class="hint">{t('complaints.reassign.toHint')}</p>
        <For each={props.agents.filter((agent) => agent.id !== from())}>
          {(agent) => (
            <label class="checkbox">
              <input
                type="checkbox"
                name="toUserIds"
                value={agent.id}
                checked={to().includes(agent.id)}
                onChange={(event) => setTo(event.currentTarget.checked ? [...to(), agent.id] : to().filter((id) => id !== agent.id))}
              />
              {t('complaints.reassign.holds', { name: agent.name, n: agent.openCases })}
            </label>
          )}
        </For>
        <Show when={form.fieldError('toUserIds')}>{(message) => <p class="field-error">{message()}</p>}</Show>
      </fieldset>
      <div class="actions">
        <button type="submit" class="button button-primary" disabled={form.busy()} data-testid="reassign-submit">
          {form.busy() ? t('complaints.reassign.moving') : t('complaints.reassign.submit')}
        </button>
      </div>
    </form>
  );
}
