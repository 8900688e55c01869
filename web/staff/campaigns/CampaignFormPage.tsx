// /campaigns/new and /campaigns/:id/edit: the campaign form. The audience shows how many customers it matches
// as it is changed; the settings of the chosen channel start at their defaults. The server checks everything
// and its findings show at their fields.
import { A, useNavigate, useParams } from '@solidjs/router';
import { createEffect, createResource, createSignal, For, Match, on, onCleanup, Show, Switch } from 'solid-js';
import { createStore, unwrap } from 'solid-js/store';
import { customerKinds, customerTiers } from '../../../server/customers/vocabulary.ts';
import { campaignDeliveries, type CampaignDelivery } from '../../../server/campaigns/vocabulary.ts';
import { customersApi } from '../customers/api.ts';
import { ApiError } from '../request.ts';
import { surveyChoiceLabel } from '../surveyChoice.ts';
import { surveysApi } from '../surveys/api.ts';
import { localized } from '../i18n.ts';
import { t } from './text.ts';
import { canAuthor } from '../session.ts';
import { Async, ErrorMessage, Field, fieldMessage, Select, usePageTitle } from '../ui.tsx';
import { campaignsApi, type CampaignDetail } from './api.ts';
import {
  audienceOf,
  campaignForm,
  createRequest,
  hasAudience,
  newCampaignForm,
  updateRequest,
  type AudienceForm,
  type CampaignForm as FormModel,
} from './form.ts';

const previewDelayMs = 300;

export default function CampaignFormPage() {
  const params = useParams<{ id?: string }>();
  const [existing, { refetch }] = createResource(
    () => params.id,
    async (id) => (await campaignsApi.get(id)).campaign,
  );
  return (
    <Show when={canAuthor()} fallback={<p class="alert alert-info">{t('campaigns.managersOnly')}</p>}>
      <Show when={params.id} fallback={<CampaignForm />}>
        <Async resource={existing} onRetry={refetch}>
          {(campaign) => (
            <Show
              when={campaign.status === 'draft'}
              fallback={
                <>
                  <p class="alert alert-info" data-testid="draft-only">
                    {t('campaigns.form.draftOnly')}
                  </p>
                  <p>
                    <A href={`/campaigns/${encodeURIComponent(campaign.id)}`}>{t('campaigns.form.backToCampaign')}</A>
                  </p>
                </>
              }
            >
              <CampaignForm campaign={campaign} />
            </Show>
          )}
        </Async>
      </Show>
    </Show>
  );
}

function CampaignForm(props: { campaign?: CampaignDetail }) {
  const editing = props.campaign !== undefined;
  usePageTitle(() =>
    props.campaign ? t('campaigns.form.editTitle', { name: props.campaign.name }) : t('campaigns.form.newTitle'),
  );
  const navigate = useNavigate();
  const [form, setForm] = createStore<FormModel>(props.campaign ? campaignForm(props.campaign) : newCampaignForm());
  const [saving, setSaving] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const fields = (): Record<string, unknown> => {
    const caught = error();
    return caught instanceof ApiError ? caught.fields : {};
  };
  const fieldError = (path: string) => fieldMessage(fields()[path]) || undefined;

  const [surveys] = createResource(async () => (await surveysApi.surveys()).surveys.filter((survey) => survey.latestVersion !== null));
  const [facets] = createResource(() => customersApi.customerFacets().catch(() => ({ segments: [], regions: [] })));

  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      const model = unwrap(form);
      const { campaign } = props.campaign
        ? await campaignsApi.update(props.campaign.id, updateRequest(model))
        : await campaignsApi.create(createRequest(model));
      navigate(`/campaigns/${encodeURIComponent(campaign.id)}`);
    } catch (caught) {
      setError(caught);
    } finally {
      setSaving(false);
    }
  };

  const backHref = () => (props.campaign ? `/campaigns/${encodeURIComponent(props.campaign.id)}` : '/campaigns');

  return (
    <form
      class="campaign-form"
      data-testid="campaign-form"
      novalidate
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <p class="breadcrumb">
        <A href={backHref()}>← {props.campaign ? t('campaigns.form.backToCampaign') : t('campaigns.form.back')}</A>
      </p>
      <div class="page-header">
        <h1>{props.campaign ? t('campaigns.form.editTitle', { name: props.campaign.name }) : t('campaigns.form.newTitle')}</h1>
      </div>

      <section class="card" aria-labelledby="campaign-basics">
        <h2 id="campaign-basics">{t('campaigns.form.basics')}</h2>
        <Field
          label={t('campaigns.form.name')}
          name="name"
          hint={t('campaigns.form.nameHint')}
          required
          value={form.name}
          onInput={(value) => setForm('name', value)}
          error={fieldError('name')}
        />
        <Show
          when={!editing}
          fallback={
            <p class="muted" data-testid="fixed-after-create">
              {t('campaigns.detail.survey')}: {localized(props.campaign!.surveyTitle)} ·{' '}
              {t(`campaigns.deliveries.${props.campaign!.delivery}`)}. {t('campaigns.form.fixedAfterCreate')}
            </p>
          }
        >
          <Async resource={surveys}>
            {(published) => (
              <Show
                when={published.length > 0}
                fallback={
                  <p class="alert alert-info" data-testid="no-published-surveys">
                    {t('campaigns.form.noSurveys')} <A href="/surveys">{t('nav.surveys')}</A>
                  </p>
                }
              >
                <Select
                  label={t('campaigns.form.survey')}
                  name="surveyId"
                  hint={t('campaigns.form.surveyHint')}
                  placeholder={t('campaigns.form.chooseSurvey')}
                  value={form.surveyId}
                  options={published.map((survey) => ({ value: survey.id, label: surveyChoiceLabel(survey) }))}
                  onChange={(value) => setForm('surveyId', value)}
                  error={fieldError('surveyId')}
                />
              </Show>
            )}
          </Async>
          <DeliveryChoice value={form.delivery} onChange={(value) => setForm('delivery', value)} error={fieldError('delivery')} />
        </Show>
      </section>

      <Show when={hasAudience(form.delivery)}>
        <AudienceCard
          audience={form.audience}
          segments={facets()?.segments ?? []}
          regions={facets()?.regions ?? []}
          onChange={(change) => setForm('audience', change)}
          error={fieldError('audience')}
          fieldError={(key) => fieldError(`audience.${key}`)}
        />
      </Show>

      <section class="card" aria-labelledby="campaign-settings">
        <h2 id="campaign-settings">{t('campaigns.form.settings')}</h2>
        <Show when={fieldError('settings')}>{(text) => <p class="field-error">{text()}</p>}</Show>
        <Switch>
          <Match when={form.delivery === 'email'}>
            <EmailSettings form={form} setForm={setForm} fieldError={fieldError} />
          </Match>
          <Match when={form.delivery === 'phone'}>
            <PhoneSettings form={form} setForm={setForm} fieldError={fieldError} />
          </Match>
          <Match when={form.delivery === 'post'}>
            <div class="checkbox">
              <input
                id="campaign-double-keying"
                type="checkbox"
                name="doubleKeying"
                checked={form.post.doubleKeying}
                aria-describedby="campaign-double-keying-hint"
                onChange={(event) => setForm('post', 'doubleKeying', event.currentTarget.checked)}
              />
              <label for="campaign-double-keying">{t('campaigns.form.doubleKeying')}</label>
            </div>
            <p class="hint" id="campaign-double-keying-hint">
              {t('campaigns.form.doubleKeyingHint')}
            </p>
          </Match>
          <Match when={form.delivery === 'kiosk'}>
            <div class="grid-2">
              <Field
                label={t('campaigns.form.location')}
                name="kioskLocation"
                hint={t('campaigns.form.locationHint')}
                value={form.kiosk.location}
                onInput={(value) => setForm('kiosk', 'location', value)}
                error={fieldError('settings.kiosk.location') ?? fieldError('settings.kiosk')}
              />
              <Field
                label={t('campaigns.form.idleSeconds')}
                name="idleSeconds"
                type="number"
                inputMode="numeric"
                min={10}
                max={3600}
                value={form.kiosk.idleSeconds}
                onInput={(value) => setForm('kiosk', 'idleSeconds', value)}
                error={fieldError('settings.kiosk.idleSeconds')}
              />
            </div>
          </Match>
          <Match when={form.delivery === 'event'}>
            <div class="grid-2">
              <Field
                label={t('campaigns.form.delayHours')}
                name="delayHours"
                type="number"
                inputMode="numeric"
                min={0}
                max={720}
                value={form.event.delayHours}
                onInput={(value) => setForm('event', 'delayHours', value)}
                error={fieldError('settings.event.delayHours')}
              />
              <Field
                label={t('campaigns.form.eventTypes')}
                name="eventTypes"
                hint={t('campaigns.form.eventTypesHint')}
                value={form.event.eventTypes}
                onInput={(value) => setForm('event', 'eventTypes', value)}
                error={eventTypesError(fields(), fieldError)}
              />
            </div>
          </Match>
        </Switch>
      </section>

      <Show when={error()}>{(caught) => <ErrorMessage error={caught()} labels={campaignFieldLabel} />}</Show>
      <div class="actions">
        <button type="submit" class="button button-primary" disabled={saving()} data-testid="save-campaign">
          {saving() ? t('campaigns.form.saving') : editing ? t('campaigns.form.save') : t('campaigns.form.create')}
        </button>
        <A href={backHref()} class="button">
          {t('campaigns.form.cancel')}
        </A>
      </div>
    </form>
  );
}

/** The label a person sees beside the field the server named by its path (e.g. settings.email.body.en). */
function campaignFieldLabel(path: string): string | undefined {
  const inLanguage = (label: string, lang: string | undefined) =>
    lang === 'en' || lang === 'zh-CN' ? `${label} · ${t(`locales.${lang}`)}` : label;
  const [head, second, third, fourth] = path.split('.');
  if (head === 'name') return t('campaigns.form.name');
  if (head === 'surveyId') return t('campaigns.form.survey');
  if (head === 'delivery') return t('campaigns.form.delivery');
  if (head === 'audience') {
    const audienceLabels: Record<string, string> = {
      q: t('campaigns.form.search'),
      segment: t('customerFields.segment'),
      region: t('customerFields.region'),
      tier: t('customerFields.tier'),
      kind: t('customerFields.kind'),
    };
    return (second && audienceLabels[second]) || t('campaigns.form.audience');
  }
  if (head !== 'settings') return undefined;
  const settingLabels: Record<string, string> = {
    'email.subject': inLanguage(t('campaigns.form.emailSubject'), fourth),
    'email.body': inLanguage(t('campaigns.form.emailBody'), fourth),
    'reminders.afterDays': t('campaigns.form.afterDays'),
    'reminders.max': t('campaigns.form.reminderMax'),
    'phone.maxAttempts': t('campaigns.form.maxAttempts'),
    'phone.callingHours': t('campaigns.form.callingStart'),
    'phone.script': inLanguage(t('campaigns.form.script'), fourth),
    'kiosk.location': t('campaigns.form.location'),
    'kiosk.idleSeconds': t('campaigns.form.idleSeconds'),
    'event.delayHours': t('campaigns.form.delayHours'),
    'event.eventTypes': t('campaigns.form.eventTypes'),
  };
  if (`${second}.${third}` === 'phone.callingHours' && fourth === 'end') return t('campaigns.form.callingEnd');
  return settingLabels[`${second}.${third}`];
}

/** The first problem the server found with any of the event types (they are checked one by one). */
function eventTypesError(fields: Record<string, unknown>, fieldError: (path: string) => string | undefined) {
  const key = Object.keys(fields).find((path) => path.startsWith('settings.event.eventTypes'));
  return key ? fieldError(key) : undefined;
}

function DeliveryChoice(props: { value: CampaignDelivery; onChange: (value: CampaignDelivery) => void; error?: string }) {
  return (
    <fieldset class="field delivery-choice" classList={{ 'field-invalid': !!props.error }}>
      <legend>{t('campaigns.form.delivery')}</legend>
      <For each={campaignDeliveries}>
        {(delivery) => (
          <label class="delivery-option" data-testid={`delivery-${delivery}`}>
            <input
              type="radio"
              name="delivery"
              value={delivery}
              checked={props.value === delivery}
              onChange={() => props.onChange(delivery)}
            />
            <span>
              <strong>{t(`campaigns.deliveries.${delivery}`)}</strong>
              <span class="muted small block">{t(`campaigns.deliveryHints.${delivery}`)}</span>
            </span>
          </label>
        )}
      </For>
      <Show when={props.error}>
        <p class="field-error">{props.error}</p>
      </Show>
    </fieldset>
  );
}

function AudienceCard(props: {
  audience: AudienceForm;
  segments: string[];
  regions: string[];
  onChange: (change: Partial<AudienceForm>) => void;
  error?: string;
  fieldError: (key: string) => string | undefined;
}) {
  // The count follows the filter a moment after the last change, not on every key press.
  const [settled, setSettled] = createSignal(JSON.stringify(audienceOf(props.audience)));
  createEffect(
    on(
      () => JSON.stringify(audienceOf(props.audience)),
      (next) => {
        const timer = setTimeout(() => setSettled(next), previewDelayMs);
        onCleanup(() => clearTimeout(timer));
      },
    ),
  );
  const [preview] = createResource(settled, (audience) => campaignsApi.audiencePreview(JSON.parse(audience)));
  const anyOption = { value: '', label: t('campaigns.form.any') };
  return (
    <section class="card" aria-labelledby="campaign-audience" data-testid="campaign-audience">
      <h2 id="campaign-audience">{t('campaigns.form.audience')}</h2>
      <p class="muted">{t('campaigns.form.audienceHint')}</p>
      <Field
        label={t('campaigns.form.search')}
        name="q"
        type="search"
        hint={t('campaigns.form.searchHint')}
        value={props.audience.q}
        onInput={(value) => props.onChange({ q: value })}
        error={props.fieldError('q')}
      />
      <div class="filters-row">
        <Select
          label={t('customerFields.segment')}
          name="segment"
          value={props.audience.segment}
          options={[anyOption, ...withCurrent(props.segments, props.audience.segment).map((value) => ({ value, label: value }))]}
          onChange={(value) => props.onChange({ segment: value })}
          error={props.fieldError('segment')}
        />
        <Select
          label={t('customerFields.region')}
          name="region"
          value={props.audience.region}
          options={[anyOption, ...withCurrent(props.regions, props.audience.region).map((value) => ({ value, label: value }))]}
          onChange={(value) => props.onChange({ region: value })}
          error={props.fieldError('region')}
        />
        <Select
          label={t('customerFields.tier')}
          name="tier"
          value={props.audience.tier}
          options={[anyOption, ...customerTiers.map((value) => ({ value, label: t(`tiers.${value}`) }))]}
          onChange={(value) => props.onChange({ tier: value as AudienceForm['tier'] })}
          error={props.fieldError('tier')}
        />
        <Select
          label={t('customerFields.kind')}
          name="kind"
          value={props.audience.kind}
          options={[anyOption, ...customerKinds.map((value) => ({ value, label: t(`customerKinds.${value}`) }))]}
          onChange={(value) => props.onChange({ kind: value as AudienceForm['kind'] })}
          error={props.fieldError('kind')}
        />
      </div>
      <Show when={props.error}>
        <p class="field-error">{props.error}</p>
      </Show>
      <p class="audience-count" role="status" aria-live="polite" data-testid="audience-count" data-matching={preview.state === 'ready' ? preview().matching : ''}>
        <Switch fallback={t('campaigns.form.counting')}>
          <Match when={preview.state === 'errored'}>
            <ErrorMessage error={preview.error} />
          </Match>
          <Match when={preview.state === 'ready' && preview()}>
            {(loaded) =>
              loaded().matching === 1 ? t('campaigns.form.matchingOne') : t('campaigns.form.matching', { n: loaded().matching })
            }
          </Match>
        </Switch>
      </p>
      <p class="muted small">{t('campaigns.form.matchingNote')}</p>
    </section>
  );
}

/** A saved filter may name a segment or region no customer has any more; keep it choosable. */
function withCurrent(values: string[], current: string): string[] {
  return current && !values.includes(current) ? [current, ...values] : values;
}

type SettingsProps = {
  form: FormModel;
  setForm: ReturnType<typeof createStore<FormModel>>[1];
  fieldError: (path: string) => string | undefined;
};

function EmailSettings(props: SettingsProps) {
  return (
    <>
      <p class="hint" data-testid="placeholders-hint">
        {t('campaigns.form.placeholders')}
      </p>
      <div class="localized-pair">
        <For each={['zh-CN', 'en'] as const}>
          {(lang) => (
            <Field
              label={`${t('campaigns.form.emailSubject')} · ${t(`locales.${lang}`)}`}
              name={`subject-${lang}`}
              lang={lang}
              value={props.form.email.subject[lang]}
              onInput={(value) => props.setForm('email', 'subject', lang, value)}
              error={props.fieldError(`settings.email.subject.${lang}`)}
            />
          )}
        </For>
      </div>
      <div class="localized-pair">
        <For each={['zh-CN', 'en'] as const}>
          {(lang) => (
            <Field
              label={`${t('campaigns.form.emailBody')} · ${t(`locales.${lang}`)}`}
              name={`body-${lang}`}
              lang={lang}
              multiline
              class="campaign-email-body"
              value={props.form.email.body[lang]}
              onInput={(value) => props.setForm('email', 'body', lang, value)}
              error={props.fieldError(`settings.email.body.${lang}`)}
            />
          )}
        </For>
      </div>
      <h3 class="subheading">{t('campaigns.form.reminders')}</h3>
      <div class="grid-2">
        <Field
          label={t('campaigns.form.afterDays')}
          name="afterDays"
          type="number"
          inputMode="numeric"
          min={1}
          max={60}
          value={props.form.reminders.afterDays}
          onInput={(value) => props.setForm('reminders', 'afterDays', value)}
          error={props.fieldError('settings.reminders.afterDays')}
        />
        <Field
          label={t('campaigns.form.reminderMax')}
          name="reminderMax"
          type="number"
          inputMode="numeric"
          min={0}
          max={5}
          hint={t('campaigns.form.reminderMaxHint')}
          value={props.form.reminders.max}
          onInput={(value) => props.setForm('reminders', 'max', value)}
          error={props.fieldError('settings.reminders.max')}
        />
      </div>
    </>
  );
}

function PhoneSettings(props: SettingsProps) {
  return (
    <>
      <div class="campaign-hours">
        <Field
          label={t('campaigns.form.maxAttempts')}
          name="maxAttempts"
          type="number"
          inputMode="numeric"
          min={1}
          max={20}
          value={props.form.phone.maxAttempts}
          onInput={(value) => props.setForm('phone', 'maxAttempts', value)}
          error={props.fieldError('settings.phone.maxAttempts')}
        />
        <Field
          label={t('campaigns.form.callingStart')}
          name="callingStart"
          type="time"
          hint={t('campaigns.form.callingHint')}
          value={props.form.phone.start}
          onInput={(value) => props.setForm('phone', 'start', value)}
          error={props.fieldError('settings.phone.callingHours.start') ?? props.fieldError('settings.phone.callingHours')}
        />
        <Field
          label={t('campaigns.form.callingEnd')}
          name="callingEnd"
          type="time"
          value={props.form.phone.end}
          onInput={(value) => props.setForm('phone', 'end', value)}
          error={props.fieldError('settings.phone.callingHours.end')}
        />
      </div>
      <div class="localized-pair">
        <For each={['zh-CN', 'en'] as const}>
          {(lang) => (
            <Field
              label={`${t('campaigns.form.script')} · ${t(`locales.${lang}`)}`}
              name={`script-${lang}`}
              lang={lang}
              multiline
              value={props.form.phone.script[lang]}
              onInput={(value) => props.setForm('phone', 'script', lang, value)}
              error={props.fieldError(`settings.phone.script.${lang}`)}
            />
          )}
        </For>
      </div>
    </>
  );
}
