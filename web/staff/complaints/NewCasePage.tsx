// /complaints/new: log a complaint taken by phone, by email or in person, by an agent or by an interviewer on a
// call. The customer is found by name, email or phone (for the roles that may read customers), or the contact
// details given are typed in. The server checks everything and answers with the reference to read out.
import { A } from '@solidjs/router';
import { createResource, createSignal, For, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import { caseSeverities, type CaseSeverity } from '../../../server/complaints/vocabulary.ts';
import { contactChannels, type ContactChannel } from '../../../server/customers/vocabulary.ts';
import { locales, type Locale } from '../../../surveys/definition.ts';
import { customersApi, type Customer } from '../customers/api.ts';
import { createFormState } from '../forms.ts';
import { locale, localized } from '../i18n.ts';
import { canReadCustomers, currentUser } from '../session.ts';
import { ErrorMessage, Field, Select, usePageTitle } from '../ui.tsx';
import { complaintsApi } from './api.ts';
import { worksCases } from './QueuesPage.tsx';
import { t } from './text.ts';
import { customerName } from '../text.ts';

/** The channels a complaint reaches a person on, as opposed to a form or an integration. */
export const loggedChannels = ['phone', 'email', 'in_person'] as const;
type LoggedChannel = (typeof loggedChannels)[number];

interface Draft {
  customer: Pick<Customer, 'id' | 'name' | 'email' | 'phone'> | null;
  contactName: string;
  contactEmail: string;
  contactPhone: string;
  channel: LoggedChannel;
  category: string;
  severity: CaseSeverity | '';
  description: string;
  desiredOutcome: string;
  orderValue: string;
  locale: Locale;
  contactConsent: boolean;
  contactChannel: ContactChannel;
}

const blank = (): Draft => ({
  customer: null,
  contactName: '',
  contactEmail: '',
  contactPhone: '',
  channel: 'phone',
  category: '',
  severity: '',
  description: '',
  desiredOutcome: '',
  orderValue: '',
  locale: locale(),
  contactConsent: false,
  contactChannel: 'phone',
});

export default function NewCasePage() {
  usePageTitle(() => t('complaints.newCase.title'));
  const allowed = () => worksCases() || currentUser()?.role === 'interviewer';
  const [logged, setLogged] = createSignal<{ id: string; reference: string } | null>(null);
  const [round, setRound] = createSignal(0);
  return (
    <Show when={allowed()} fallback={<p class="alert alert-info">{t('complaints.notAllowed')}</p>}>
      <p class="breadcrumb">
        <A href="/complaints">{t('complaints.newCase.back')}</A>
      </p>
      <h1>{t('complaints.newCase.title')}</h1>
      <p class="muted">{t('complaints.newCase.intro')}</p>
      <Show
        when={logged()}
        fallback={
          <Show when={round() + 1} keyed>
            <CaseForm onLogged={setLogged} />
          </Show>
        }
      >
        {(done) => (
          <div class="alert alert-success" data-testid="case-logged">
            <p>
              <strong>{t('complaints.newCase.logged', { reference: done().reference })}</strong>
            </p>
            <p class="case-reference-big" data-testid="logged-reference">
              {done().reference}
            </p>
            <div class="actions">
              <A href={`/complaints/cases/${encodeURIComponent(done().id)}`} class="button button-primary" data-testid="open-logged">
                {t('complaints.newCase.openIt')}
              </A>
              <button
                type="button"
                class="button"
                onClick={() => {
                  setLogged(null);
                  setRound(round() + 1);
                }}
              >
                {t('complaints.newCase.another')}
              </button>
            </div>
          </div>
        )}
      </Show>
    </Show>
  );
}

function CaseForm(props: { onLogged: (logged: { id: string; reference: string }) => void }) {
  const [draft, setDraft] = createStore<Draft>(blank());
  const [settings, { refetch: refetchSettings }] = createResource(() => complaintsApi.settings().then((answer) => answer.settings));
  const form = createFormState();
  const categories = () => (settings.state === 'ready' ? settings().categories : []).filter((category) => !category.retired);

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    return form.run(async () => {
      const text = (value: string) => (value.trim() === '' ? null : value.trim());
      const order = draft.orderValue.trim();
      const answer = await complaintsApi.create({
        channel: draft.channel,
        category: draft.category,
        ...(draft.severity ? { severity: draft.severity } : {}),
        description: draft.description,
        desiredOutcome: text(draft.desiredOutcome),
        orderValue: order === '' ? null : Number.isFinite(Number(order)) ? Number(order) : order,
        locale: draft.locale,
        customerId: draft.customer?.id ?? null,
        contactName: text(draft.contactName),
        contactEmail: text(draft.contactEmail),
        contactPhone: text(draft.contactPhone),
        contactConsent: draft.contactConsent,
        contactChannel: draft.contactConsent ? draft.contactChannel : null,
      });
      props.onLogged({ id: answer.case.id, reference: answer.case.reference });
    });
  };
  const labels: Record<string, () => string> = {
    channel: () => t('complaints.newCase.channel'),
    category: () => t('complaints.newCase.category'),
    severity: () => t('complaints.newCase.severity'),
    description: () => t('complaints.newCase.description'),
    desiredOutcome: () => t('complaints.newCase.desiredOutcome'),
    orderValue: () => t('complaints.newCase.orderValue'),
    contactName: () => t('complaints.newCase.contactName'),
    contactEmail: () => t('complaints.newCase.contactEmail'),
    contactPhone: () => t('complaints.newCase.contactPhone'),
    contactChannel: () => t('complaints.newCase.contactChannel'),
    customerId: () => t('complaints.newCase.customer'),
  };

  return (
    <form class="card case-form" onSubmit={submit} novalidate data-testid="new-case-form">
      <Show when={form.error()}>{(caught) => <ErrorMessage error={caught()} labels={(path) => labels[path]?.()} />}</Show>
      <Show when={settings.error}>{(caught) => <ErrorMessage error={caught()} onRetry={() => void refetchSettings()} />}</Show>
      <fieldset class="subgroup">
        <legend>{t('complaints.newCase.customer')}</legend>
        <Show when={canReadCustomers()}>
          <CustomerFinder chosen={draft.customer} onChoose={(customer) => setDraft('customer', customer)} />
        </Show>
        <Show when={!draft.customer}>
          <Show when={canReadCustomers()}>
            <p class="muted small">{t('complaints.newCase.orContact')}</p>
          </Show>
          <div class="grid-2">
            <Field label={t('complaints.newCase.contactName')} name="contactName" autocomplete="off" value={draft.contactName} error={form.fieldError('contactName')} onInput={(value) => setDraft('contactName', value)} />
            <Field label={t('complaints.newCase.contactPhone')} name="contactPhone" type="tel" autocomplete="off" value={draft.contactPhone} error={form.fieldError('contactPhone')} onInput={(value) => setDraft('contactPhone', value)} />
            <Field label={t('complaints.newCase.contactEmail')} name="contactEmail" type="email" inputMode="email" autocomplete="off" value={draft.contactEmail} error={form.fieldError('contactEmail')} onInput={(value) => setDraft('contactEmail', value)} />
          </div>
        </Show>
      </fieldset>
      <fieldset class="subgroup">
        <legend>{t('complaints.detail.details')}</legend>
        <div class="grid-2">
          <Select
            label={t('complaints.newCase.channel')}
            name="channel"
            value={draft.channel}
            options={loggedChannels.map((value) => ({ value, label: t(`complaints.channels.${value}`) }))}
            error={form.fieldError('channel')}
            onChange={(value) => setDraft('channel', value)}
          />
          <Select
            label={t('complaints.newCase.category')}
            name="category"
            value={draft.category}
            placeholder={t('complaints.newCase.chooseCategory')}
            options={categories().map((category) => ({ value: category.key, label: localized(category.label) }))}
            error={form.fieldError('category')}
            onChange={(value) => setDraft('category', value)}
          />
          <Select
            label={t('complaints.newCase.severity')}
            name="severity"
            value={draft.severity}
            hint={t('complaints.newCase.severityHint')}
            options={[{ value: '' as const, label: t('complaints.newCase.severityAuto') }, ...caseSeverities.map((value) => ({ value, label: t(`complaints.severities.${value}`) }))]}
            error={form.fieldError('severity')}
            onChange={(value) => setDraft('severity', value)}
          />
          <Field
            label={t('complaints.newCase.orderValue')}
            name="orderValue"
            inputMode="numeric"
            value={draft.orderValue}
            error={form.fieldError('orderValue')}
            onInput={(value) => setDraft('orderValue', value)}
          />
        </div>
        <Field
          label={t('complaints.newCase.description')}
          name="description"
          multiline
          required
          hint={t('complaints.newCase.descriptionHint')}
          value={draft.description}
          error={form.fieldError('description')}
          onInput={(value) => setDraft('description', value)}
        />
        <Field
          label={t('complaints.newCase.desiredOutcome')}
          name="desiredOutcome"
          multiline
          value={draft.desiredOutcome}
          error={form.fieldError('desiredOutcome')}
          onInput={(value) => setDraft('desiredOutcome', value)}
        />
        <Select
          label={t('complaints.newCase.locale')}
          name="locale"
          value={draft.locale}
          options={locales.map((value) => ({ value, label: t(`locales.${value}`) }))}
          error={form.fieldError('locale')}
          onChange={(value) => setDraft('locale', value)}
        />
      </fieldset>
      <fieldset class="subgroup">
        <legend>{t('complaints.detail.consent')}</legend>
        <label class="checkbox">
          <input type="checkbox" name="contactConsent" checked={draft.contactConsent} onChange={(event) => setDraft('contactConsent', event.currentTarget.checked)} />
          {t('complaints.newCase.consent')}
        </label>
        <Show when={draft.contactConsent}>
          <Select
            label={t('complaints.newCase.contactChannel')}
            name="contactChannel"
            value={draft.contactChannel}
            options={contactChannels.map((value) => ({ value, label: t(`contactChannels.${value}`) }))}
            error={form.fieldError('contactChannel')}
            onChange={(value) => setDraft('contactChannel', value)}
          />
        </Show>
      </fieldset>
      <div class="actions">
        <button type="submit" class="button button-primary" disabled={form.busy()} data-testid="new-case-submit">
          {form.busy() ? t('complaints.newCase.saving') : t('complaints.newCase.submit')}
        </button>
      </div>
    </form>
  );
}

type Found = Pick<Customer, 'id' | 'name' | 'email' | 'phone'>;

function CustomerFinder(props: { chosen: Found | null; onChoose: (customer: Found | null) => void }) {
  const [text, setText] = createSignal('');
  const [query, setQuery] = createSignal<string | null>(null);
  const [found] = createResource(query, (q) => customersApi.customers({ q }).then((list) => list.customers.slice(0, 8)));
  return (
    <Show
      when={props.chosen}
      fallback={
        <div class="customer-finder">
          {/* Enter in the search finds the customer; it must not log the case half filled in. */}
          <div
            class="filters-search"
            onKeyDown={(event) => {
              if (event.key !== 'Enter' || (event.target as HTMLElement).tagName !== 'INPUT') return;
              event.preventDefault();
              setQuery(text().trim() === '' ? null : text().trim());
            }}
          >
            <Field label={t('complaints.newCase.findCustomer')} name="customerSearch" type="search" hint={t('complaints.newCase.findHint')} value={text()} onInput={setText} />
            <button
              type="button"
              class="button"
              data-testid="find-customer"
              onClick={() => setQuery(text().trim() === '' ? null : text().trim())}
            >
              {t('complaints.newCase.find')}
            </button>
          </div>
          <Show when={found.error}>
            <ErrorMessage error={found.error} />
          </Show>
          <Show when={query() !== null && found()}>
            {(list) => (
              <Show when={list().length > 0} fallback={<p class="muted">{t('complaints.newCase.noCustomers')}</p>}>
                <ul class="found-customers">
                  <For each={list()}>
                    {(customer) => (
                      <li data-testid="found-customer">
                        <span>
                          <span class="strong">{customerName(customer.name)}</span>
                          <span class="muted small block">{[customer.email, customer.phone].filter(Boolean).join(' · ')}</span>
                        </span>
                        <button type="button" class="button button-small" onClick={() => props.onChoose(customer)}>
                          {t('complaints.newCase.choose')}
                        </button>
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
            )}
          </Show>
        </div>
      }
    >
      {(customer) => (
        <p class="chosen-customer" data-testid="chosen-customer">
          <span>{t('complaints.newCase.chosen', { name: customerName(customer().name) })}</span>{' '}
          <button type="button" class="button button-small" onClick={() => props.onChoose(null)}>
            {t('complaints.newCase.change')}
          </button>
        </p>
      )}
    </Show>
  );
}
