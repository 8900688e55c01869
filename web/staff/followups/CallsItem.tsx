// The follow-up calls as one item on the call list (/calls), beside the campaigns: how many thank-you and VIP
// calls are waiting, and the way to the follow-up list where they are made. Shown when any are waiting.
import { createResource, Show } from 'solid-js';
import { appBase } from '../Shell.tsx';
import { followUpsApi } from './api.ts';
import { t } from './text.ts';

export function FollowUpCallsItem() {
  const [counts] = createResource(() => followUpsApi.counts().catch(() => null));
  return (
    <Show when={(counts()?.calls ?? 0) > 0}>
      <section class="card" aria-labelledby="follow-up-calls-title" data-testid="follow-up-calls">
        <h2 id="follow-up-calls-title">{t('followUps.callListItem')}</h2>
        <p>{t('followUps.callListText', { count: counts()!.calls })}</p>
        <p>
          <a class="button" href={`${appBase}/follow-ups?view=calls`}>
            {t('followUps.callListLink')}
          </a>
        </p>
      </section>
    </Show>
  );
}
