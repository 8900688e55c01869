// The customer page's loyalty panel: where the customer stands (stage, at risk, churned), their tier beside the
// one their value gives, RFM, and the loyalty score with each part and its inputs in plain words.
import { A } from '@solidjs/router';
import { For, Show, type JSX } from 'solid-js';
import type { LoyaltyParts } from '../../../server/loyalty/vocabulary.ts';
import { formatDateTime, locale } from '../i18n.ts';
import type { Customer, CustomerLoyalty } from './api.ts';
import { answerOutOf, plainKey, weightPercent } from './loyalty.ts';
import { t } from './text.ts';

/** A day as the screen's language writes it: 2 Nov 2026, 2026年11月2日. */
export function formatDay(iso: string): string {
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium' }).format(new Date(iso));
}

/** An amount in its currency, as the screen's language writes it: CN¥1,075.50. */
export function formatMoney(money: { amount: string; currency: string }): string {
  try {
    return new Intl.NumberFormat(locale(), { style: 'currency', currency: money.currency }).format(Number(money.amount));
  } catch {
    return `${money.currency} ${money.amount}`;
  }
}

const listSeparator = () => (locale() === 'zh-CN' ? '；' : '; ');
const scoreText = (score: number | null) => (score === null ? '—' : String(score));

function Row(props: { label: string; children: JSX.Element; testId?: string }) {
  return (
    <div>
      <dt>{props.label}</dt>
      <dd data-testid={props.testId}>{props.children}</dd>
    </div>
  );
}

export function LoyaltyPanel(props: { customer: Customer; loyalty: CustomerLoyalty }) {
  return (
    <section class="card" aria-labelledby="customer-loyalty" data-testid="loyalty-panel">
      <h2 id="customer-loyalty">{t('loyalty.title')}</h2>
      <Show when={props.customer.objectsToProfiling}>
        <p class="alert alert-info" data-testid="profiling-objection">
          {t('loyalty.objection')}
        </p>
      </Show>
      <Show when={props.loyalty} fallback={<p class="muted" data-testid="loyalty-none">{t('loyalty.none')}</p>}>
        {(loyalty) => <Standing loyalty={loyalty()} />}
      </Show>
    </section>
  );
}

function Standing(props: { loyalty: NonNullable<CustomerLoyalty> }) {
  const loyalty = () => props.loyalty;
  const stageName = () => t(`loyalty.stages.${loyalty().stage}`);
  const tierText = () => {
    const tier = loyalty().tier;
    const current = t(`tiers.${tier.current}`);
    if (!tier.setByHand) return t('loyalty.tierComputed', { tier: current });
    return tier.computed ? t('loyalty.tierByHand', { tier: current, computed: t(`tiers.${tier.computed}`) }) : t('loyalty.tierByHandOnly', { tier: current });
  };
  return (
    <>
      <dl class="details">
        <Row label={t('loyalty.stage')} testId="loyalty-stage">
          {loyalty().stageSince ? t('loyalty.stageSince', { stage: stageName(), date: formatDay(loyalty().stageSince!) }) : stageName()}
        </Row>
        <Row label={t('loyalty.tier')} testId="loyalty-tier">
          {tierText()}
        </Row>
        <Row label={t('loyalty.rfm')} testId="loyalty-rfm">
          <Show when={loyalty().rfm} fallback={t('loyalty.rfmNone')}>
            {(rfm) => (
              <>
                {t('loyalty.rfmText', rfm())}
                <br />
                <span class="muted small">{t('loyalty.rfmHint')}</span>
              </>
            )}
          </Show>
        </Row>
        <Row label={t('loyalty.purchases')} testId="loyalty-purchases">
          {t('loyalty.purchasesText', {
            count: loyalty().purchases.count,
            inWindow: loyalty().purchases.inWindow,
            value: formatMoney(loyalty().purchases.windowValue),
          })}
          <Show when={loyalty().purchases.last}>
            {(last) => (
              <>
                <br />
                <span class="muted small">
                  {t('loyalty.lastPurchase', { date: formatDay(last()) })}
                  <Show when={loyalty().purchases.medianGapDays !== null}>
                    {locale() === 'zh-CN' ? '，' : ', '}
                    {t('loyalty.usualGap', { days: Math.round(loyalty().purchases.medianGapDays!) })}
                  </Show>
                </span>
              </>
            )}
          </Show>
        </Row>
        <Row label={t('loyalty.score')} testId="loyalty-score">
          <strong>{loyalty().score === null ? t('loyalty.scoreNone') : t('loyalty.scoreOf', { score: loyalty().score! })}</strong>
        </Row>
      </dl>
      <Show when={loyalty().atRisk}>
        <p class="alert alert-error" data-testid="loyalty-at-risk">
          {t('loyalty.atRiskBecause', {
            reasons: loyalty()
              .atRiskReasons.map((reason) => t(`loyalty.atRiskReasons.${reason}`) ?? plainKey(reason))
              .join(listSeparator()),
          })}
        </p>
      </Show>
      <Show when={loyalty().churned}>
        {(kind) => (
          <p class="alert alert-error" data-testid="loyalty-churned">
            {loyalty().churnedAt
              ? t('loyalty.churnedOn', { kind: t(`loyalty.churned.${kind()}`), date: formatDay(loyalty().churnedAt!) })
              : t(`loyalty.churned.${kind()}`)}
          </p>
        )}
      </Show>
      <Show when={loyalty().parts}>{(parts) => <ScoreParts parts={parts()} />}</Show>
      <p class="muted small">{loyalty().computedAt ? t('loyalty.computedAt', { date: formatDateTime(loyalty().computedAt!) }) : null}</p>
    </>
  );
}

/** Each part of the score with the inputs it came from: "Attitude 80: would buy again 4/5 on 2 Nov 2026, recommends 9/10". */
function ScoreParts(props: { parts: LoyaltyParts }) {
  const separator = () => (locale() === 'zh-CN' ? '，' : ', ');
  const attitudeInputs = () => {
    const { repurchaseIntent, recommendation } = props.parts.attitude;
    const said = [
      repurchaseIntent ? t('loyalty.wouldBuyAgain', { answer: answerOutOf(repurchaseIntent), date: formatDay(new Date(repurchaseIntent.answeredAt).toISOString()) }) : null,
      recommendation ? t('loyalty.recommends', { answer: answerOutOf(recommendation) }) : null,
    ].filter((text): text is string => text !== null);
    return said.length > 0 ? said.join(separator()) : t('loyalty.noAnswers');
  };
  const behaviourInputs = () => {
    const { recency, frequency, monetary } = props.parts.behaviour;
    return recency === null || frequency === null || monetary === null ? t('loyalty.noPurchases') : t('loyalty.behaviourInputs', { recency, frequency, monetary });
  };
  const recoveryInputs = () => {
    const recovery = props.parts.recovery;
    if (!recovery.caseId || !recovery.reference) return t('loyalty.noComplaint');
    const said = [
      t('loyalty.recoveryCase', {
        reference: recovery.reference,
        severity: recovery.severity ? t(`loyalty.severities.${recovery.severity}`) : '—',
        outcome: recovery.outcome ? t(`loyalty.outcomes.${recovery.outcome}`) : t('loyalty.recoveryOpen'),
      }),
    ];
    if (recovery.paradox) said.push(t('loyalty.paradox'));
    else if (recovery.cappedAt !== null) said.push(t('loyalty.cappedAt', { score: recovery.cappedAt }));
    return said.join(separator());
  };
  const parts = () => [
    { key: 'attitude', title: t('loyalty.attitude', { score: scoreText(props.parts.attitude.score) }), score: props.parts.attitude.score, inputs: attitudeInputs(), weight: props.parts.weights.attitude, caseId: null },
    { key: 'behaviour', title: t('loyalty.behaviour', { score: scoreText(props.parts.behaviour.score) }), score: props.parts.behaviour.score, inputs: behaviourInputs(), weight: props.parts.weights.behaviour, caseId: null },
    {
      key: 'recovery',
      title: t('loyalty.recovery', { score: scoreText(props.parts.recovery.score) }),
      score: props.parts.recovery.score,
      inputs: recoveryInputs(),
      weight: props.parts.weights.recovery,
      caseId: props.parts.recovery.caseId,
    },
  ];
  return (
    <>
      <h3 class="subheading">{t('loyalty.partsTitle')}</h3>
      <p class="muted small">{t('loyalty.partsHint')}</p>
      <ul class="plain-list" data-testid="loyalty-parts">
        <For each={parts()}>
          {(part) => (
            <li data-testid={`loyalty-part-${part.key}`}>
              <strong>{part.title}</strong>
              {t('app.labelSeparator')}
              <Show when={part.caseId} fallback={part.score === null && part.key !== 'recovery' ? `${part.inputs} (${t('loyalty.partNone')})` : part.inputs}>
                {(caseId) => <A href={`/complaints/cases/${encodeURIComponent(caseId())}`}>{part.inputs}</A>}
              </Show>
              <span class="muted small"> · {t('loyalty.weight', { percent: weightPercent(part.weight) })}</span>
            </li>
          )}
        </For>
      </ul>
    </>
  );
}
