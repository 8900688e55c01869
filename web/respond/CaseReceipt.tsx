// Under the thanks for a complaint form: the case's reference in large type, to quote when calling, when the first
// reply is due, and the link to its status page when the answer carried one (never on a kiosk). Its words in both
// languages live here with it.
import { Show } from 'solid-js';
import type { Locale } from '../../surveys/definition.ts';
import type { CaseReceipt as Receipt } from './send.ts';

const words = {
  en: {
    reference: 'Your reference',
    quote: 'Quote it if you call us.',
    follow: 'Follow your complaint',
    replyBy: (when: string) => `We will reply by ${when}.`,
  },
  'zh-CN': {
    reference: '您的投诉编号',
    quote: '致电我们时请提供此编号。',
    follow: '查看投诉处理进度',
    replyBy: (when: string) => `我们将在 ${when} 前回复您。`,
  },
};

/** The due time as the status page shows it, in the business calendar's time zone, which it names: "Mar 3, 2026, 3:00 PM (GMT+8)". */
function dueText({ firstResponseDueAt, timeZone }: Receipt, locale: Locale): string | undefined {
  if (!firstResponseDueAt) return undefined;
  try {
    const at = new Date(firstResponseDueAt);
    const zone = new Intl.DateTimeFormat('en', { timeZone, timeZoneName: 'shortOffset' }).formatToParts(at).find((part) => part.type === 'timeZoneName');
    return `${new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(at)} (${zone!.value})`;
  } catch {
    return undefined;
  }
}

export function CaseReceipt(props: { receipt: Receipt; locale: Locale }) {
  const text = () => words[props.locale];
  return (
    <div class="sv-case" data-testid="case-receipt">
      <p>{text().reference}</p>
      <p class="sv-case-ref" data-testid="case-reference">
        {props.receipt.reference}
      </p>
      <p>{text().quote}</p>
      <Show when={dueText(props.receipt, props.locale)}>{(due) => <p data-testid="case-due">{text().replyBy(due())}</p>}</Show>
      <Show when={props.receipt.statusPath}>
        {(path) => (
          <a class="sv-submit" href={path()} data-testid="case-status-link">
            {text().follow}
          </a>
        )}
      </Show>
    </div>
  );
}
