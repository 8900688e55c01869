// Under the thanks for a complaint form: the case's reference in large type, to quote when calling, when the first
// reply is due, and the link to its status page when the answer carried one (never on a kiosk).
import { Show } from 'solid-js';
import type { Locale } from '../../surveys/definition.ts';
import { ui } from './i18n.ts';
import type { CaseReceipt as Receipt } from './send.ts';

/** The due time as the status page shows it: in the business calendar's time zone, which it names (GMT+8). */
function dueText(receipt: Receipt, locale: Locale): string | undefined {
  if (!receipt.firstResponseDueAt) return undefined;
  try {
    return new Intl.DateTimeFormat(locale, {
      timeZone: receipt.timeZone,
      weekday: 'short',
      month: 'short',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'short',
    }).format(new Date(receipt.firstResponseDueAt));
  } catch {
    return undefined;
  }
}

export function CaseReceipt(props: { receipt: Receipt; locale: Locale }) {
  const text = () => ui[props.locale];
  return (
    <div class="sv-case" data-testid="case-receipt">
      <p>{text().caseReference}</p>
      <p class="sv-case-ref" data-testid="case-reference">
        {props.receipt.reference}
      </p>
      <p>{text().caseQuote}</p>
      <Show when={dueText(props.receipt, props.locale)}>{(due) => <p data-testid="case-due">{text().caseReplyBy(due())}</p>}</Show>
      <Show when={props.receipt.statusPath}>
        {(path) => (
          <a class="sv-submit" href={path()} data-testid="case-status-link">
            {text().caseFollow}
          </a>
        )}
      </Show>
    </div>
  );
}
