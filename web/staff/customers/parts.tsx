// Small pieces the customer pages share.
import { For, Show } from 'solid-js';
import { contactChannels, type Consents, type CustomerTier } from '../../../server/customers/vocabulary.ts';
import { formatCount, locale } from '../i18n.ts';
import { t } from './text.ts';

export function TierBadge(props: { tier: CustomerTier }) {
  return <span class={`badge badge-tier-${props.tier}`}>{t(`tiers.${props.tier}`)}</span>;
}

/** "Email: Surveys, Follow-up" per channel that has consent; "none" when no channel has. */
export function ConsentSummary(props: { consents: Consents }) {
  const given = () => contactChannels.filter((channel) => (props.consents[channel]?.length ?? 0) > 0);
  return (
    <Show when={given().length > 0} fallback={<span class="muted">{t('customer.noConsent')}</span>}>
      <ul class="plain-list" data-testid="customer-consents">
        <For each={given()}>
          {(channel) => (
            <li>
              {t(`contactChannels.${channel}`)}
              {t('app.labelSeparator')}
              {props.consents[channel]!.map((purpose) => t(`purposes.${purpose}`)).join(locale() === 'zh-CN' ? '、' : ', ')}
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}

/** 1.5 MB, 320 kB: sizes of files as people read them (1 MB = 1,048,576 bytes, as file pickers count). */
export function formatBytes(bytes: number): string {
  const format = (value: number) => formatCount(Math.round(value * 10) / 10);
  if (bytes >= 1024 * 1024) return `${format(bytes / 1024 / 1024)} MB`;
  if (bytes >= 1024) return `${format(bytes / 1024)} kB`;
  return `${formatCount(bytes)} B`;
}
