// /customers/new and /customers/:id/edit: the customer form. The browser checks it with the same schema the
// server uses, so a mistake shows at its field before anything is sent; the server's own findings (an email
// another customer has) show at their fields too.
import { A, useNavigate, useParams } from '@solidjs/router';
import { createMemo, createResource, createSignal, For, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import * as v from 'valibot';
import { locales } from '../../../surveys/definition.ts';
import { factValue, withdrawnValue, type ConsentState } from '../../../server/customers/consent.ts';
import { CustomerInput, type CustomerDraft } from '../../../server/customers/rules.ts';
import {
  consentFacts,
  contactChannels,
  contactPurposes,
  customerKinds,
  customerTiers,
  type ContactChannel,
  type ContactPurpose,
  type CustomerKind,
  type CustomerTier,
} from '../../../server/customers/vocabulary.ts';
import { type Customer, customersApi } from './api.ts';
import { ApiError, type ServerMessage } from '../request.ts';
import { locale } from '../i18n.ts';
import { t } from './text.ts';
import { canAuthor } from '../session.ts';
import { Async, ErrorMessage, Field, fieldMessage, Select, usePageTitle } from '../ui.tsx';

export default function CustomerFormPage() {
  const params = useParams<{ id?: string }>();
  const [existing, { refetch }] = createResource(
    () => params.id,
    async (id) => (await customersApi.customer(id)).customer,
  );
  return (
    <Show when={canAuthor()} fallback={<p class="alert alert-info">{t('customers.readOnly')}</p>}>
      <Show when={params.id} fallback={<CustomerForm />}>
        <Async resource={existing} onRetry={refetch}>
          {(customer) => <CustomerForm customer={customer} />}
        </Async>
      </Show>
    </Show>
  );
}

/** The fields edited as plain text; a new customer starts with them empty. */
const textKeys = ['externalId', 'name', 'contactName', 'email', 'phone', 'postalAddress', 'timeZone', 'region', 'segment', 'industry'] as const;
type TextKey = (typeof textKeys)[number];

interface Draft {
  externalId: string;
  kind: CustomerKind;
  name: string;
  contactName: string;
  email: string;
  phone: string;
  postalAddress: string;
  locale: (typeof locales)[number];
  timeZone: string;
  region: string;
  segment: string;
  industry: string;
  /** A tier chosen by hand, or 'computed': loyalty tracking keeps it from the customer's value. */
  tier: CustomerTier | 'computed';
  /** The account owner's staff id; '' for none. */
  ownerId: string;
  consents: Record<ContactChannel, ContactPurpose[]>;
  doNotContact: boolean;
  doNotCall: boolean;
  objectsToProfiling: boolean;
  /** '' for none. */
  preferredChannel: ContactChannel | '';
  /** The withdrawals made in this edit are the customer's own request. */
  customerRequest: boolean;
  /** Consent given back (or a flag lifted) in this edit is the customer's new consent, given as renewalNote says. */
  renewConsent: boolean;
  renewalNote: string;
}

function draftOf(customer: Customer | undefined): Draft {
  const texts = Object.fromEntries(textKeys.map((key) => [key, customer?.[key] ?? ''])) as Record<TextKey, string>;
  const consents = Object.fromEntries(contactChannels.map((channel) => [channel, customer?.consents[channel] ?? []]));
  return {
    ...texts,
    kind: customer?.kind ?? 'individual',
    locale: customer?.locale ?? 'zh-CN',
    timeZone: customer?.timeZone ?? 'Asia/Shanghai',
    tier: customer?.tierSetByHand ? customer.tier : 'computed',
    ownerId: customer?.ownerId ?? '',
    consents: consents as Draft['consents'],
    doNotContact: customer?.doNotContact ?? false,
    doNotCall: customer?.doNotCall ?? false,
    objectsToProfiling: customer?.objectsToProfiling ?? false,
    preferredChannel: customer?.preferredChannel ?? '',
    customerRequest: false,
    renewConsent: false,
    renewalNote: '',
  };
}

const noConsent: ConsentState = { consents: {}, doNotContact: false, doNotCall: false, objectsToProfiling: false };

/** The facts this edit withdraws (or flags), and those it gives back (or unflags), against the saved customer. */
function consentMoves(saved: ConsentState, draft: Draft) {
  const moved = consentFacts.filter((fact) => factValue(saved, fact) !== factValue(draft, fact));
  return {
    withdrawn: moved.filter((fact) => factValue(draft, fact) === withdrawnValue(fact)),
    givenBack: moved.filter((fact) => factValue(draft, fact) !== withdrawnValue(fact)),
  };
}

const flags = [
  { key: 'doNotContact', field: 'do_not_contact' },
  { key: 'doNotCall', field: 'do_not_call' },
  { key: 'objectsToProfiling', field: 'objects_to_profiling' },
] as const;

/** What is sent: an individual has no contact person; the consent record says whose doing the changes are. */
function inputOf(draft: Draft, saved: ConsentState): CustomerDraft {
  const { customerRequest, renewConsent, renewalNote, ...fields } = draft;
  const moves = consentMoves(saved, draft);
  const record = {
    customerRequest: customerRequest && moves.withdrawn.length > 0,
    renewed: renewConsent ? moves.givenBack : [],
    note: renewConsent && moves.givenBack.length > 0 ? renewalNote : null,
  };
  return {
    ...fields,
    contactName: draft.kind === 'enterprise' ? draft.contactName : '',
    preferredChannel: draft.preferredChannel || null,
    tier: draft.tier === 'computed' ? null : draft.tier,
    ownerId: draft.ownerId || null,
    ...(record.customerRequest || record.renewed.length > 0 ? { consentRecord: record } : {}),
  };
}

/** The label of the field the server named by its path (e.g. timeZone), as the form shows it. */
function customerFieldLabel(path: string): string | undefined {
  const labels: Record<string, string> = {
    externalId: t('customerFields.external_id'),
    name: t('customerFields.name'),
    kind: t('customerFields.kind'),
    contactName: t('customerFields.contact_name'),
    email: t('customerFields.email'),
    phone: t('customerFields.phone'),
    postalAddress: t('customerFields.postal_address'),
    locale: t('customerFields.locale'),
    timeZone: t('customerFields.time_zone'),
    preferredChannel: t('customerFields.preferred_channel'),
    tier: t('customerFields.tier'),
    ownerId: t('customerForm.owner'),
    objectsToProfiling: t('customerFields.objects_to_profiling'),
    region: t('customerFields.region'),
    segment: t('customerFields.segment'),
    industry: t('customerFields.industry'),
    consents: t('customerForm.consent'),
  };
  return labels[path.split('.')[0]!];
}

function CustomerForm(props: { customer?: Customer }) {
  const navigate = useNavigate();
  const [draft, setDraft] = createStore<Draft>(draftOf(props.customer));
  const [tried, setTried] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [failure, setFailure] = createSignal<unknown>(null);
  const [serverFieldMessages, setServerFields] = createSignal<Record<string, ServerMessage>>({});
  /** The server's messages per field, in the screen's language (they follow a language switch). */
  const serverFields = createMemo(() =>
    Object.fromEntries(Object.entries(serverFieldMessages()).map(([path, text]) => [path, fieldMessage(text)])),
  );
  let form!: HTMLFormElement;
  const saved: ConsentState = props.customer ?? noConsent;
  const moves = createMemo(() => consentMoves(saved, draft));

  usePageTitle(() => (props.customer ? t('customerForm.editTitle', { name: props.customer.name }) : t('customerForm.newTitle')));

  /** The schema's messages per field, in the screen's language; shown once a save was tried. */
  const localIssues = createMemo(() => {
    const result = v.safeParse(CustomerInput, inputOf(draft, saved), { lang: locale() });
    const fields: Record<string, string> = {};
    for (const issue of result.issues ?? []) fields[v.getDotPath(issue) ?? ''] ??= issue.message;
    return fields;
  });
  const errorOf = (key: string) => (tried() ? (localIssues()[key] ?? serverFields()[key]) : serverFields()[key]);
  const problemCount = () => Object.keys({ ...(tried() ? localIssues() : {}), ...serverFields() }).length;

  const text = (key: TextKey, extra: { label: string; hint?: string; type?: string; multiline?: boolean; autocomplete?: string; required?: boolean }) => (
    <Field
      id={`customer-${key}`}
      name={key}
      value={draft[key]}
      onInput={(value) => {
        setDraft(key, value);
        if (serverFields()[key]) setServerFields(({ [key]: _dropped, ...rest }) => rest);
      }}
      error={errorOf(key)}
      {...extra}
    />
  );

  const choice = <K extends 'kind' | 'locale' | 'tier' | 'preferredChannel' | 'ownerId'>(
    key: K,
    label: string,
    options: { value: Draft[K]; label: string }[],
    hint?: string,
  ) => (
    <Select
      id={`customer-${key}`}
      name={key}
      label={label}
      hint={hint}
      value={draft[key]}
      options={options}
      onChange={(value) => setDraft(key, value as Draft[K] & Draft[keyof Draft])}
      error={errorOf(key)}
    />
  );

  const [owners] = createResource(async () => (await customersApi.owners()).owners);
  /** Active staff who may own customers; the current owner stays listed even when no longer one of them. */
  const ownerOptions = () => {
    const listed = (owners() ?? []).map((owner) => ({ value: owner.id, label: `${owner.name} (${t(`roles.${owner.role}`)})` }));
    const current = props.customer?.owner;
    const missing = current && !listed.some((option) => option.value === current.id);
    return [
      { value: '', label: t('customerForm.noOwner') },
      ...(missing ? [{ value: current.id, label: t('customerForm.inactiveOwner', { name: current.name ?? current.id }) }] : []),
      ...listed,
    ];
  };

  const togglePurpose = (channel: ContactChannel, purpose: ContactPurpose, on: boolean) =>
    setDraft('consents', channel, (purposes) => (on ? [...purposes, purpose] : purposes.filter((given) => given !== purpose)));

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setTried(true);
    setFailure(null);
    if (Object.keys(localIssues()).length > 0) {
      queueMicrotask(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    setBusy(true);
    try {
      const input = inputOf(draft, saved);
      const { customer } = props.customer ? await customersApi.updateCustomer(props.customer.id, input) : await customersApi.createCustomer(input);
      navigate(`/customers/${encodeURIComponent(customer.id)}`);
    } catch (caught) {
      setFailure(caught);
      if (caught instanceof ApiError) {
        setServerFields(caught.fields);
      }
    } finally {
      setBusy(false);
    }
  };

  const backHref = () => (props.customer ? `/customers/${encodeURIComponent(props.customer.id)}` : '/customers');

  return (
    <>
      <p class="breadcrumb">
        <A href={backHref()}>← {props.customer ? props.customer.name : t('customer.back')}</A>
      </p>
      <div class="page-header">
        <h1>{props.customer ? t('customerForm.editTitle', { name: props.customer.name }) : t('customerForm.newTitle')}</h1>
      </div>
      <Show when={failure()}>{(caught) => <ErrorMessage error={caught()} labels={customerFieldLabel} />}</Show>
      <Show when={tried() && problemCount() > 0 && !failure()}>
        <p class="alert alert-error" role="alert" data-testid="customer-form-problems">
          {t('customerForm.problems', { count: problemCount() })}
        </p>
      </Show>
      <form ref={form} onSubmit={submit} novalidate data-testid="customer-form">
        <section class="card">
          <h2>{t('customerForm.identity')}</h2>
          <div class="grid-2">
            {choice('kind', t('customerFields.kind'), customerKinds.map((kind) => ({ value: kind, label: t(`customerKinds.${kind}`) })))}
            {text('externalId', { label: t('customerFields.external_id'), hint: t('customerForm.externalIdHint') })}
            {text('name', {
              label: draft.kind === 'enterprise' ? t('customerForm.enterpriseName') : t('customerFields.name'),
              autocomplete: 'off',
              required: true,
            })}
            <Show when={draft.kind === 'enterprise'}>
              {text('contactName', { label: t('customerFields.contact_name'), hint: t('customerForm.contactNameHint'), required: true })}
            </Show>
          </div>
        </section>
        <section class="card">
          <h2>{t('customerForm.contact')}</h2>
          <div class="grid-2">
            {text('email', { label: t('customerFields.email'), type: 'email', autocomplete: 'off' })}
            {text('phone', { label: t('customerFields.phone'), type: 'tel', autocomplete: 'off' })}
            {text('postalAddress', { label: t('customerFields.postal_address'), hint: t('customerForm.postalAddressHint'), multiline: true })}
            <div>
              {choice('locale', t('customerFields.locale'), locales.map((option) => ({ value: option, label: `${t(`locales.${option}`)} (${option})` })))}
              {text('timeZone', { label: t('customerFields.time_zone'), hint: t('customerForm.timeZoneHint') })}
              {choice('preferredChannel', t('customerFields.preferred_channel'), [
                { value: '', label: t('customerFields.preferred_none') },
                ...contactChannels.map((channel) => ({ value: channel, label: t(`contactChannels.${channel}`) })),
              ])}
            </div>
          </div>
        </section>
        <section class="card">
          <h2>{t('customerForm.classification')}</h2>
          <div class="grid-2">
            {choice(
              'tier',
              t('customerFields.tier'),
              [
                { value: 'computed', label: t('customerForm.tierComputed') },
                ...customerTiers.map((tier) => ({ value: tier, label: t('customerForm.tierByHand', { tier: t(`tiers.${tier}`) }) })),
              ],
              t('customerForm.tierHint'),
            )}
            {choice('ownerId', t('customerForm.owner'), ownerOptions(), t('customerForm.ownerHint'))}
            {text('region', { label: t('customerFields.region') })}
            {text('segment', { label: t('customerFields.segment') })}
            {text('industry', { label: t('customerFields.industry') })}
          </div>
        </section>
        <section class="card">
          <h2>{t('customerForm.consent')}</h2>
          <p class="hint">{t('customerForm.consentHint')}</p>
          <div class="consent-grid">
            <For each={contactChannels}>
              {(channel) => (
                <fieldset class="subgroup" data-testid={`consent-${channel}`}>
                  <legend>{t('customerForm.consentFor', { channel: t(`contactChannels.${channel}`) })}</legend>
                  <For each={contactPurposes}>
                    {(purpose) => (
                      <label class="checkbox">
                        <input
                          type="checkbox"
                          name={`consent-${channel}-${purpose}`}
                          checked={draft.consents[channel].includes(purpose)}
                          onChange={(event) => togglePurpose(channel, purpose, event.currentTarget.checked)}
                        />
                        {t(`purposes.${purpose}`)}
                      </label>
                    )}
                  </For>
                </fieldset>
              )}
            </For>
          </div>
          <For each={flags}>
            {(flag) => (
              <>
                <label class="checkbox">
                  <input
                    type="checkbox"
                    name={flag.key}
                    aria-describedby={`${flag.key}-hint`}
                    checked={draft[flag.key]}
                    onChange={(event) => setDraft(flag.key, event.currentTarget.checked)}
                  />
                  {t(`customerFields.${flag.field}`)}
                </label>
                <p class="hint checkbox-hint" id={`${flag.key}-hint`}>
                  {t(`customerForm.${flag.key}Hint`)}
                </p>
              </>
            )}
          </For>
          <Show when={errorOf('consents')}>
            {(problem) => (
              <p class="alert alert-error" role="alert" data-testid="consent-problem">
                {problem()}
              </p>
            )}
          </Show>
          <Show when={moves().withdrawn.length > 0}>
            <fieldset class="subgroup" data-testid="consent-request">
              <legend>{t('consent.requestTitle')}</legend>
              <label class="checkbox">
                <input
                  type="checkbox"
                  name="customerRequest"
                  aria-describedby="customerRequest-hint"
                  checked={draft.customerRequest}
                  onChange={(event) => setDraft('customerRequest', event.currentTarget.checked)}
                />
                {t('consent.requestLabel')}
              </label>
              <p class="hint checkbox-hint" id="customerRequest-hint">
                {t('consent.requestHint')}
              </p>
            </fieldset>
          </Show>
          <Show when={props.customer && moves().givenBack.length > 0}>
            <fieldset class="subgroup" data-testid="consent-renewal">
              <legend>{t('consent.renewTitle')}</legend>
              <p class="hint">{t('consent.renewHint')}</p>
              <label class="checkbox">
                <input
                  type="checkbox"
                  name="renewConsent"
                  checked={draft.renewConsent}
                  onChange={(event) => {
                    setDraft('renewConsent', event.currentTarget.checked);
                    if (serverFields().consents) setServerFields(({ consents: _dropped, ...rest }) => rest);
                  }}
                />
                {t('consent.renewLabel')}
              </label>
              <Show when={draft.renewConsent}>
                <Field
                  id="customer-renewalNote"
                  name="renewalNote"
                  label={t('consent.renewNote')}
                  hint={t('consent.renewNoteHint')}
                  value={draft.renewalNote}
                  onInput={(value) => setDraft('renewalNote', value)}
                  error={errorOf('consentRecord.note')}
                  required
                />
              </Show>
            </fieldset>
          </Show>
        </section>
        <div class="actions">
          <button type="submit" class="button button-primary" data-testid="customer-save" disabled={busy()}>
            {busy() ? t('customerForm.saving') : props.customer ? t('customerForm.save') : t('customerForm.create')}
          </button>
          <A href={backHref()} class="button">
            {t('customerForm.cancel')}
          </A>
        </div>
      </form>
    </>
  );
}
