// Who is signed in, and the language saved with their account. Loaded once at start; every page reads it from here.
import { createSignal } from 'solid-js';
import type { Locale } from '../../surveys/definition.ts';
import { accountsApi, type SessionInfo, type StaffUser } from './accounts/api.ts';
import { setLocale, storedLocale } from './i18n.ts';
import { ApiError, setCsrfToken } from './request.ts';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; user: StaffUser }
  | { status: 'failed'; error: unknown };

const [session, setSession] = createSignal<SessionState>({ status: 'loading' });

export { session };

export function currentUser(): StaffUser | null {
  const state = session();
  return state.status === 'signed-in' ? state.user : null;
}

export function isAdmin() {
  return currentUser()?.role === 'admin';
}

/** Admins and managers author surveys and read responses. */
export function canAuthor() {
  const role = currentUser()?.role;
  return role === 'admin' || role === 'manager';
}

/** Support agents look customers up for complaints; admins and managers also change them. */
export function canReadCustomers() {
  const role = currentUser()?.role;
  return role === 'admin' || role === 'manager' || role === 'support';
}

/** Interviewers phone customers, key in returned forms and run kiosks; admins and managers may too. */
export function canInterview() {
  const role = currentUser()?.role;
  return role === 'admin' || role === 'manager' || role === 'interviewer';
}

export async function loadSession() {
  setSession({ status: 'loading' });
  try {
    const { session: current } = await accountsApi.currentSession();
    if (current) signedIn(current);
    else setSession({ status: 'signed-out' });
  } catch (error) {
    setSession({ status: 'failed', error });
  }
}

/** A language picked while signed out (on the sign-in page), saved with the account that signs in next. */
let pickedSignedOut: Locale | null = null;

export function signedIn(info: SessionInfo) {
  setCsrfToken(info.csrfToken);
  setSession({ status: 'signed-in', user: info.user });
  // The account's language is the one the app opens in on any device. An account that has none yet takes
  // the one chosen in this browser, once; a language picked on the sign-in page just now is the latest choice.
  const chosen = pickedSignedOut ?? (info.user.locale ? null : storedLocale());
  pickedSignedOut = null;
  if (chosen && chosen !== info.user.locale) saveLocale(chosen);
  else if (info.user.locale) setLocale(info.user.locale);
}

let saving: Promise<unknown> = Promise.resolve();

/** Saves the language with the signed-in account, one call after the other so the last choice is the one kept. */
function saveLocale(next: Locale) {
  saving = saving
    .then(() => accountsApi.saveLocale(next))
    .then(({ user }) => {
      const state = session();
      if (state.status === 'signed-in' && state.user.id === user.id) setSession({ status: 'signed-in', user });
    })
    .catch((error) => {
      // Still shown and kept in this browser; the account keeps the language it had until the next switch saves.
      noticeUnauthorized(error);
    });
}

/** The language switch: shows the app in the language chosen and keeps it with the account of whoever is signed in. */
export function chooseLocale(next: Locale) {
  setLocale(next);
  if (currentUser()) saveLocale(next);
  else pickedSignedOut = next;
}

export function signedOut() {
  setCsrfToken('');
  setSession({ status: 'signed-out' });
}

/** Called when any request answers 401: the session ended elsewhere, so send the person to sign in. */
export function noticeUnauthorized(error: unknown) {
  if (error instanceof ApiError && error.status === 401 && session().status === 'signed-in') signedOut();
}

/** Keep only in-app paths as a place to return to after signing in; else the home, which sends each role to its first page. */
export function safeNext(next: string | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (/^\/(login|setup|invite)(\?|$)/.test(next)) return '/';
  return next;
}
