// Pieces the complaints pages share: badges for status and severity, the time left on a deadline in business
// hours (ticking), a category's name, and who did something to a case.
import { createRoot, createSignal, onCleanup, Show } from 'solid-js';
import { businessMsBetween, type BusinessCalendar } from '../../../server/complaints/calendar.ts';
import type { CaseSeverity, CaseStatus, DeadlineAlert } from '../../../server/complaints/vocabulary.ts';
import { localized } from '../i18n.ts';
import { t } from './text.ts';
import { hoursAndMinutes, readDeadline, type ClockView, type DeadlineReading, type RunningDeadline } from './deadlines.ts';

/** The time the deadlines are read at, moved on every half minute while a complaints page is open. */
const clock = createRoot(() => {
  const [now, setNow] = createSignal(Date.now());
  let timer: ReturnType<typeof setInterval> | undefined;
  let users = 0;
  return {
    now,
    /** Keeps the clock ticking while the calling component lives. */
    use() {
      users += 1;
      timer ??= setInterval(() => setNow(Date.now()), 30_000);
      setNow(Date.now());
      onCleanup(() => {
        users -= 1;
        if (users === 0 && timer) {
          clearInterval(timer);
          timer = undefined;
        }
      });
      return now;
    },
  };
});

export function useNow() {
  return clock.use();
}

export function CaseStatusBadge(props: { status: CaseStatus }) {
  return (
    <span class={`badge badge-case-${props.status}`} data-testid="case-status" data-status={props.status}>
      {t(`complaints.statuses.${props.status}`)}
    </span>
  );
}

export function SeverityBadge(props: { severity: CaseSeverity }) {
  return (
    <span class={`badge badge-severity-${props.severity}`} data-testid="case-severity">
      {t(`complaints.severities.${props.severity}`)}
    </span>
  );
}

/** A category's name in the screen's language; its key when the settings no longer list it. */
export function categoryName(categories: readonly { key: string; label: { en: string; 'zh-CN': string } }[] | undefined, key: string): string {
  const found = categories?.find((category) => category.key === key);
  return found ? localized(found.label) : key;
}

/** A duration of business time in hours and minutes, e.g. "3 h 20 min". */
export function durationText(ms: number): string {
  const { hours, minutes } = hoursAndMinutes(ms);
  return hours > 0 ? t('complaints.time.hm', { hours, minutes }) : t('complaints.time.m', { minutes });
}

/** "3 h 20 min left" or "1 h 5 min overdue". */
export function leftText(reading: DeadlineReading): string {
  const { past } = hoursAndMinutes(reading.left);
  return past ? t('complaints.time.over', { time: durationText(reading.left) }) : t('complaints.time.left', { time: durationText(reading.left) });
}

/** Reads a deadline against the calendar at the clock's time. */
export function readingOf(calendar: BusinessCalendar, clockView: ClockView, mark: RunningDeadline, now: number, known: DeadlineAlert | null = null): DeadlineReading {
  return readDeadline((from, to) => businessMsBetween(calendar, from, to), clockView, mark, now, known);
}

/** The time left on a deadline, red when breached, amber at risk; says so in words too, not only by colour. */
export function TimeLeft(props: { reading: DeadlineReading; showName?: boolean }) {
  const tone = (alert: DeadlineAlert | null) => (alert === 'breached' ? 'time-breached' : alert === 'at_risk' ? 'time-at-risk' : 'time-on-track');
  return (
    <span class={`time-left ${tone(props.reading.alert)}`} data-testid="time-left" data-alert={props.reading.alert ?? 'none'}>
      <Show when={props.showName}>
        <span class="time-left-name">{t(`complaints.deadlines.${props.reading.deadline}`)}</span>{' '}
      </Show>
      <span>{leftText(props.reading)}</span>
      <Show when={props.reading.alert}>{(alert) => <span class="badge badge-alert">{t(`complaints.alerts.${alert()}`)}</span>}</Show>
      <Show when={props.reading.paused}>
        <span class="muted small"> · {t('complaints.time.paused')}</span>
      </Show>
    </span>
  );
}
