// The customer page's data rights, for admins: a legal hold set or lifted with its reason, and the customer's
// identity erased at their request (with a reason, after a confirmation). An erased customer's page says so.
import { createSignal, Show } from 'solid-js';
import { createFormState } from '../forms.ts';
import { formatDateTime } from '../i18n.ts';
import { ConfirmDialog, ErrorMessage, Field } from '../ui.tsx';
import { customersApi, type Customer } from './api.ts';
import { t } from './text.ts';

export function DataRightsPanel(props: { customer: Customer; onChanged: () => void }) {
  const hold = createFormState();
  const erasure = createFormState();
  const [holdReason, setHoldReason] = createSignal('');
  const [erasureReason, setErasureReason] = createSignal('');
  const [confirming, setConfirming] = createSignal(false);
  const id = () => props.customer.id;

  const setHold = (reason: string | null) =>
    hold.run(async () => {
      await customersApi.setLegalHold(id(), reason);
      setHoldReason('');
      props.onChanged();
    });
  const erase = () =>
    erasure.run(async () => {
      try {
        await customersApi.erase(id(), erasureReason());
        props.onChanged();
      } finally {
        setConfirming(false);
      }
    });

  return (
    <section class="card" aria-labelledby="customer-data-rights" data-testid="data-rights">
      <h2 id="customer-data-rights">{t('rights.title')}</h2>
      <Show
        when={props.customer.erasedAt === null}
        fallback={
          <p class="alert alert-info" data-testid="customer-erased">
            {t('rights.erasedOn', { date: formatDateTime(new Date(props.customer.erasedAt!).toISOString()) })}
          </p>
        }
      >
        <h3>{t('rights.holdTitle')}</h3>
        <Show
          when={props.customer.legalHold}
          fallback={
            <form
              onSubmit={(event) => {
                event.preventDefault();
                void setHold(holdReason());
              }}
            >
              <Field label={t('rights.holdReason')} hint={t('rights.holdHint')} value={holdReason()} onInput={setHoldReason} error={hold.fieldError('reason')} />
              <button type="submit" class="button" disabled={hold.busy()} data-testid="set-legal-hold">
                {t('rights.setHold')}
              </button>
            </form>
          }
        >
          {(reason) => (
            <>
              <p data-testid="legal-hold">{t('rights.heldBecause', { reason: reason() })}</p>
              <button type="button" class="button" disabled={hold.busy()} onClick={() => void setHold(null)} data-testid="lift-legal-hold">
                {t('rights.liftHold')}
              </button>
            </>
          )}
        </Show>
        <Show when={hold.error() && !hold.fieldError('reason')}>
          <ErrorMessage error={hold.error()} />
        </Show>

        <h3>{t('rights.eraseTitle')}</h3>
        <p class="muted small">{t('rights.eraseHint')}</p>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            setConfirming(true);
          }}
        >
          <Field label={t('rights.eraseReason')} value={erasureReason()} onInput={setErasureReason} error={erasure.fieldError('reason')} multiline />
          <button type="submit" class="button button-danger" disabled={erasure.busy()} data-testid="erase-customer">
            {t('rights.erase')}
          </button>
        </form>
        <Show when={erasure.error() && !erasure.fieldError('reason')}>
          <ErrorMessage error={erasure.error()} />
        </Show>
        <ConfirmDialog
          open={confirming()}
          title={t('rights.confirmTitle')}
          confirmLabel={t('rights.confirm')}
          confirmTestId="confirm-erase"
          busy={erasure.busy()}
          danger
          onConfirm={() => void erase()}
          onCancel={() => setConfirming(false)}
        >
          <p>{t('rights.confirmText')}</p>
        </ConfirmDialog>
      </Show>
    </section>
  );
}
