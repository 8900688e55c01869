// /outbox/:id: one message as it was (or will be) sent. The HTML part is shown in a frame sandboxed with no
// permissions at all, with what would load, run or navigate taken out (preview.ts); its source is shown as
// text beside it.
import { A, useParams } from '@solidjs/router';
import { createResource, Show } from 'solid-js';
import { outboxApi, type OutboxMessage } from './api.ts';
import { t } from './text.ts';
import { Async, usePageTitle } from '../ui.tsx';
import { formatMillis, MessageStatusBadge, OutboxTabs, SkipReasonText, TopicText } from './parts.tsx';
import { previewHtml } from './preview.ts';

export default function MessagePage() {
  const params = useParams<{ id: string }>();
  const [message, { refetch }] = createResource(
    () => params.id,
    async (id) => (await outboxApi.outboxMessage(id)).message,
  );
  usePageTitle(() => (message.state === 'ready' ? message.latest.subject : t('outbox.title')));
  return (
    <>
      <OutboxTabs />
      <p class="breadcrumb">
        <A href="/outbox">← {t('outbox.back')}</A>
      </p>
      <Async resource={message} onRetry={refetch}>
        {(loaded) => <MessageView message={loaded} />}
      </Async>
    </>
  );
}

function MessageView(props: { message: OutboxMessage }) {
  const m = () => props.message;
  return (
    <article data-testid="outbox-message">
      <div class="page-header">
        <h1 data-testid="message-subject">{m().subject}</h1>
      </div>
      <h2 class="sr-only">{t('outbox.messageDetails')}</h2>
      <dl class="details mail-headers">
        <div>
          <dt>{t('outbox.colTo')}</dt>
          <dd data-testid="message-to">{m().toAddress}</dd>
        </div>
        <div>
          <dt>{t('outbox.colStatus')}</dt>
          <dd>
            <MessageStatusBadge status={m().status} /> <SkipReasonText reason={m().skipReason} />
          </dd>
        </div>
        <div>
          <dt>{t('outbox.colTopic')}</dt>
          <dd>
            <TopicText topic={m().topic} />
          </dd>
        </div>
        <div>
          <dt>{t('outbox.colCreated')}</dt>
          <dd>{formatMillis(m().createdAt)}</dd>
        </div>
        <div>
          <dt>{t('outbox.colSent')}</dt>
          <dd>{formatMillis(m().sentAt)}</dd>
        </div>
        <Show when={m().smtpMessageId}>
          {(id) => (
            <div>
              <dt>{t('outbox.messageId')}</dt>
              <dd class="break-anywhere">{id()}</dd>
            </div>
          )}
        </Show>
      </dl>
      <Show when={m().error}>
        {(error) => (
          <div class="alert alert-error" data-testid="message-error">
            <p>
              <strong>{t('outbox.error')}</strong>
            </p>
            <p class="preserve-lines break-anywhere">{error()}</p>
          </div>
        )}
      </Show>
      <section class="section">
        <h2>{t('outbox.text')}</h2>
        <pre class="mail-text" data-testid="message-text">
          {m().text}
        </pre>
      </section>
      <section class="section">
        <h2>{t('outbox.html')}</h2>
        <Show when={m().html} fallback={<p class="muted">{t('outbox.noHtml')}</p>}>
          {(html) => (
            <>
              <iframe
                class="mail-html"
                sandbox=""
                referrerpolicy="no-referrer"
                srcdoc={previewHtml(html())}
                title={t('outbox.htmlFrame')}
                data-testid="message-html"
              />
              <details class="mail-source">
                <summary>{t('outbox.htmlSource')}</summary>
                <pre class="mail-text" data-testid="message-html-source">
                  {html()}
                </pre>
              </details>
            </>
          )}
        </Show>
      </section>
    </article>
  );
}
