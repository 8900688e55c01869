// The public page at /s/:slug and a personal link at /i/:token: the form, then thanks; or a closed,
// not-found or already-answered notice. A complaint form's thanks shows its case's reference and status link.
import { createEffect, createSignal, Match, Show, Switch, type JSX } from 'solid-js';
import { CaseReceipt } from './CaseReceipt.tsx';
import type { Locale, LocalizedText, SurveyDefinition } from '../../surveys/definition.ts';
import type { Answers } from '../../surveys/answers.ts';
import { hiddenFieldsFrom } from '../../surveys/hidden-fields.ts';
import { pickLocale } from '../../surveys/i18n.ts';
import { localize, ui } from './i18n.ts';
import { Notice } from './Notice.tsx';
import {
  forgetOtherVersions,
  isSubmitted,
  loadProgress,
  markSubmitted,
  newResponseId,
  saveLocale,
  savedLocale,
  saveProgress,
  submittedCase,
  type Progress,
} from './progress.ts';
import { sendResponse, type CaseReceipt as Receipt } from './send.ts';
import { SurveyForm, type SubmitOutcome } from './SurveyForm.tsx';
import type { PublicSurvey } from '../../server/responses/service.ts';

/** The JSON the server embeds as <script id="survey-data" type="application/json">. */
export type SurveyData = PublicSurvey;

type View = 'form' | 'thanks' | 'closed' | 'unknown' | 'answered';

export function RespondPage(props: { data: SurveyData; earlyAnswers?: Answers }) {
  const invited = props.data.state === 'open' ? props.data.invitation : undefined;
  const [locale, setLocale] = createSignal<Locale>(savedLocale() ?? invited?.locale ?? pickLocale(navigator.languages));
  const changeLocale = (next: Locale) => {
    setLocale(next);
    saveLocale(next);
  };
  const text = () => ui[locale()];
  const data = props.data;
  const surveyTitle = (): LocalizedText | undefined =>
    data.state === 'open' ? data.definition.title : data.state === 'closed' ? data.title : undefined;

  const [view, setView] = createSignal<View>(
    data.state === 'open' ? (data.invitation?.answered || isSubmitted(progressKeyOf(data), data.versionId) ? 'thanks' : 'form') : data.state,
  );
  /** The case a complaint form opened: its reference (and status page) under the thanks. */
  const [receipt, setReceipt] = createSignal<Receipt | undefined>(
    data.state === 'open' ? submittedCase(progressKeyOf(data), data.versionId) : undefined,
  );
  /** True once the view changed in this visit, so the new notice takes focus; not on first load. */
  const [replaced, setReplaced] = createSignal(false);
  const show = (next: View) => {
    setReplaced(true);
    setView(next);
  };

  createEffect(() => {
    document.documentElement.lang = locale();
    const title = surveyTitle();
    document.title =
      view() === 'unknown' || !title ? text().unknownTitle : view() === 'closed' ? `${text().closedTitle} · ${localize(title, locale())}` : localize(title, locale());
  });

  const notice = (testId: string, title: string, body: string, more?: JSX.Element) => (
    <Notice
      done={testId === 'thank-you'}
      testId={testId}
      locale={locale()}
      onLocaleChange={changeLocale}
      title={title}
      body={body}
      surveyTitle={surveyTitle() && localize(surveyTitle()!, locale())}
      takeFocus={replaced()}
    >
      {more}
    </Notice>
  );

  return (
    <main class="sv-page">
      <Switch>
        <Match when={view() === 'form' && data.state === 'open' && data}>
          {(open) => (
            <OpenSurvey
              data={open()}
              earlyAnswers={props.earlyAnswers ?? {}}
              locale={locale()}
              onLocaleChange={changeLocale}
              onFinished={show}
              onCase={setReceipt}
            />
          )}
        </Match>
        <Match when={view() === 'thanks' && data.state === 'open' && data}>
          {(open) =>
            notice(
              'thank-you',
              text().thankYouTitle,
              open().definition.thankYou ? localize(open().definition.thankYou!, locale()) : text().thankYouBody,
              <Show when={receipt()}>{(opened) => <CaseReceipt receipt={opened()} locale={locale()} />}</Show>,
            )
          }
        </Match>
        <Match when={view() === 'closed'}>{notice('survey-closed', text().closedTitle, text().closedBody)}</Match>
        <Match when={view() === 'unknown'}>{notice('survey-unknown', text().unknownTitle, text().unknownBody)}</Match>
        <Match when={view() === 'answered'}>{notice('already-answered', text().answeredTitle, text().answeredBody)}</Match>
      </Switch>
    </main>
  );
}

function OpenSurvey(props: {
  data: Extract<SurveyData, { state: 'open' }>;
  earlyAnswers: Answers;
  locale: Locale;
  onLocaleChange: (locale: Locale) => void;
  onFinished: (view: View) => void;
  onCase: (receipt: Receipt | undefined) => void;
}) {
  const { versionId, channel, definition } = props.data;
  const slug = progressKeyOf(props.data);
  forgetOtherVersions(slug, versionId);
  // A new id and start time until the first answer is saved; after that a reload reuses them.
  let progress: Progress = loadProgress(slug, versionId) ?? { id: newResponseId(), startedAt: Date.now(), answers: {} };
  // Hidden fields come from this page's own address (the server's HTML is shared by every link); the
  // address opened now wins, and without any the ones kept with the progress stay.
  const linkFields = hiddenFieldsFrom(location.search);
  if (linkFields) progress = { ...progress, hidden: linkFields };
  if (Object.keys(props.earlyAnswers).length > 0) {
    progress = { ...progress, answers: { ...progress.answers, ...props.earlyAnswers } };
    saveProgress(slug, versionId, progress);
  }

  const keep = (answers: Answers) => {
    progress = { ...progress, answers };
    saveProgress(slug, versionId, progress);
  };

  const submit = async (answers: Answers): Promise<SubmitOutcome> => {
    const result = await sendResponse(
      {
        id: progress.id,
        versionId,
        locale: props.locale,
        answers,
        startedAt: progress.startedAt,
        channel,
        ...(progress.hidden ? { hidden: progress.hidden } : {}),
      },
      submissionUrl(props.data),
    );
    switch (result.kind) {
      case 'stored':
        markSubmitted(slug, versionId, progress.id, result.case);
        props.onCase(result.case);
        props.onFinished('thanks');
        return { kind: 'done' };
      case 'closed':
      case 'unknown':
      case 'answered':
        // The form is replaced by the notice; the answers stay saved in case the survey reopens.
        props.onFinished(result.kind);
        return { kind: 'done' };
      default:
        return result;
    }
  };

  return (
    <SurveyForm
      definition={definition}
      locale={props.locale}
      onLocaleChange={props.onLocaleChange}
      initialAnswers={progress.answers}
      onAnswersChange={keep}
      onSubmit={submit}
    />
  );
}

/** Progress is kept per personal link, so two invitations answered on one device stay apart. */
function progressKeyOf(data: Extract<SurveyData, { state: 'open' }>) {
  return data.invitation ? `${data.slug}~${data.invitation.token}` : data.slug;
}

function submissionUrl(data: Extract<SurveyData, { state: 'open' }>) {
  return data.invitation ? `/api/public/invitations/${encodeURIComponent(data.invitation.token)}/responses` : '/api/public/responses';
}
