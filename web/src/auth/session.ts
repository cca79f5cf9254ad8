/**
 * The browser's sign-in on oidc-client-ts: authorization code with PKCE against the issuer that
 * `/auth/config` names, the user shared by every tab (`userStore.ts`), and the access token renewed
 * silently with the refresh token before it expires and whenever the API refuses it.
 *
 * Renewals are serialised across the tabs of the browser (Web Locks): the provider rotates refresh
 * tokens and revokes the session when a retired one comes back, so two tabs must never both spend
 * the same one. The tab that takes the lock second finds the token the first one stored, and uses it.
 */
import {
  ErrorResponse,
  type INavigator,
  OidcClient,
  User,
  UserManager,
  type UserManagerSettings,
  WebStorageStateStore,
} from 'oidc-client-ts';
import type { AuthConfig } from './config';
import { SignInError, callbackFailure } from './errors';
import { SharedUserStore, STATE_PREFIX, forgetUser, hasPendingSignIn, isUserEvent, peekUser } from './userStore';

/** Renew this long before the access token expires; a token that close to its end is not sent. */
export const RENEW_BEFORE_SECONDS = 30;
/** After a renewal that could not reach the provider, the timer tries again this much later. */
export const RETRY_SECONDS = 15;
/**
 * A request to the provider unanswered this long fails. A renewal holds the lock of every tab, so a
 * provider that hangs must not keep every API call of the browser waiting with it.
 */
export const PROVIDER_TIMEOUT_SECONDS = 10;
const LOCK_NAME = 'ariane.auth.renewal';
const RETURN_KEY = 'ariane.auth.return-to';

/** The provider could not be reached to renew: the session may still be good, so no sign-in yet. */
export class RenewalUnavailable extends Error {
  constructor(cause: unknown) {
    super(`silent renewal unavailable: ${String(cause)}`);
    this.name = 'RenewalUnavailable';
  }
}

/** Runs `task` while holding the renewal lock (of the browser, or of this page without Web Locks). */
export type Lock = <T>(task: () => Promise<T>) => Promise<T>;

export function inPageLock(): Lock {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>) => {
    const result = tail.then(task, task);
    tail = result.catch(() => undefined);
    return result;
  };
}

export function browserLock(): Lock {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (!locks) return inPageLock();
  return <T>(task: () => Promise<T>) => locks.request(LOCK_NAME, task) as Promise<T>;
}

export interface SessionDeps {
  loadConfig: () => Promise<AuthConfig>;
  origin: string;
  lock: Lock;
  /** Leave the page for the provider. */
  assign: (url: string) => void;
}

/** A token this close to its end (or past it) is renewed before use. */
export function needsRenewal(user: User): boolean {
  const remaining = user.expires_in;
  return remaining !== undefined && remaining <= RENEW_BEFORE_SECONDS;
}

/** Only same-app paths: a crafted `returnTo` must not send the user to another site. */
export function safeReturnPath(path: string): string {
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return '/';
  if (path.startsWith('/auth/callback')) return '/';
  return path;
}

function randomNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export class Session {
  private manager: Promise<UserManager> | null = null;
  private signingIn: Promise<void> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly exchanges = new Map<string, Promise<string>>();

  constructor(private readonly deps: SessionDeps) {}

  /** The access token to send: the stored one, renewed first when it is about to expire. */
  async accessToken(): Promise<string | null> {
    const user = peekUser();
    if (!user) return null;
    if (!needsRenewal(user)) return user.access_token;
    const renewed = await this.renew(user.access_token);
    // Without a way to renew, a token still valid for a few seconds is better than none.
    return renewed ?? (user.expired === false ? user.access_token : null);
  }

  /**
   * A fresh token other than `stale` (refused by the API, or about to expire): the one another tab
   * has just stored, or a new one from the provider. Null when the session cannot be renewed (no
   * refresh token, or the provider refused it): the user must sign in again.
   *
   * @throws RenewalUnavailable when the provider could not be reached.
   */
  renew(stale: string): Promise<string | null> {
    // The timer follows the outcome: the next renewal for a new token, a retry when the provider
    // was away, none when the session is over (the next API call signs in again).
    return this.deps.lock(() => this.renewHoldingLock(stale)).then(
      (token) => {
        if (token) this.schedule();
        else this.stopRenewal();
        return token;
      },
      (error: unknown) => {
        this.schedule(RETRY_SECONDS);
        throw error;
      },
    );
  }

  private async renewHoldingLock(stale: string): Promise<string | null> {
    const current = peekUser();
    if (!current) return null;
    if (current.access_token !== stale && !needsRenewal(current)) return current.access_token;
    if (!current.refresh_token) return null;
    const manager = await this.userManager().catch((error: unknown) => {
      throw new RenewalUnavailable(error);
    });
    // A user signed in with another issuer (the configuration changed) cannot be renewed here.
    const key = `user:${manager.settings.authority}:${manager.settings.client_id}`;
    if ((await manager.settings.userStore.get(key)) === null) return null;
    try {
      // Given here: oidc-client-ts 3.5 lets the refresh request wait forever otherwise, whatever
      // the settings say (its undefined argument overrides the setting).
      const renewed = await manager.signinSilent({ silentRequestTimeoutInSeconds: PROVIDER_TIMEOUT_SECONDS });
      return renewed?.access_token ?? null;
    } catch (error) {
      // The provider's refusal (expired, revoked or replayed refresh token) ends the session;
      // anything else (network, timeout, an unreadable answer) may pass.
      if (error instanceof ErrorResponse) return null;
      throw new RenewalUnavailable(error);
    }
  }

  /**
   * Leave for the identity provider, to come back to `returnTo`. One sign-in at a time: parallel
   * 401s or React's doubled effects would otherwise each start one.
   *
   * @throws SignInError `configuration_unavailable` when the sign-in cannot even start.
   */
  signIn(returnTo: string): Promise<void> {
    this.signingIn ??= this.startSignIn(returnTo).catch((error: unknown) => {
      this.signingIn = null; // let "Réessayer" start afresh
      throw error;
    });
    return this.signingIn;
  }

  /** Back from the provider's page, the browser may restore this page as it was: allow a new start. */
  allowNewSignIn(): void {
    this.signingIn = null;
  }

  /**
   * Finish the sign-in from the callback URL; returns the in-app path the user wanted. A callback
   * is processed once: its code can be redeemed once, and React's StrictMode runs effects twice.
   *
   * @throws SignInError
   */
  completeSignIn(url: string): Promise<string> {
    let exchange = this.exchanges.get(url);
    if (!exchange) {
      exchange = this.processCallback(url);
      this.exchanges.set(url, exchange);
    }
    return exchange;
  }

  /**
   * Sign out of every tab at once, and end the session at the provider when it offers revocation
   * (it is not waited for: the user is signed out here whatever the provider answers).
   *
   * A renewal under way in some tab may store a new user after the slot is emptied: once the lock
   * is ours (that renewal over), the user it stored is forgotten too, and its refresh token revoked.
   */
  signOut(): Promise<void> {
    const user = peekUser();
    forgetUser();
    this.stopRenewal();
    return this.deps
      .lock(() => {
        const late = peekUser();
        if (late) forgetUser();
        return Promise.resolve(late);
      })
      .then((late) => {
        const refreshTokens = [user?.refresh_token, late?.refresh_token].filter((token): token is string => !!token);
        return this.revoke([...new Set(refreshTokens)]);
      })
      .catch(() => undefined); // a session the provider keeps ends with its refresh token's lifetime
  }

  private async revoke(refreshTokens: string[]): Promise<void> {
    if (refreshTokens.length === 0) return;
    const manager = await this.userManager();
    if (!(await manager.metadataService.getRevocationEndpoint(true))) return;
    const client = new OidcClient(manager.settings);
    await Promise.allSettled(refreshTokens.map((token) => client.revokeToken(token, 'refresh_token')));
  }

  /** Renew before expiry, in this tab, from now on; follow what other tabs do to the shared user. */
  startRenewal(target: Window = window): () => void {
    const onStorage = (event: StorageEvent) => {
      if (isUserEvent(event)) this.schedule();
    };
    target.addEventListener('storage', onStorage);
    this.schedule();
    return () => {
      target.removeEventListener('storage', onStorage);
      this.stopRenewal();
    };
  }

  private stopRenewal(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Arm the timer for the stored user's token (its replacement by another tab re-arms it). */
  private schedule(delaySeconds?: number): void {
    this.stopRenewal();
    const user = peekUser();
    if (!user?.refresh_token || user.expires_in === undefined) return;
    const stale = user.access_token;
    const wait = delaySeconds ?? Math.max(0, user.expires_in - RENEW_BEFORE_SECONDS);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.renew(stale).catch(() => undefined); // renew() has scheduled the retry
    }, wait * 1000);
  }

  private async startSignIn(returnTo: string): Promise<void> {
    let manager: UserManager;
    try {
      manager = await this.userManager();
      sessionStorage.setItem(RETURN_KEY, safeReturnPath(returnTo));
      // PKCE protects the code; the nonce also ties the ID token to this very request.
      await manager.signinRedirect({ nonce: randomNonce() });
    } catch (error) {
      if (error instanceof SignInError) throw error;
      throw new SignInError('configuration_unavailable', error instanceof Error ? error.message : String(error));
    }
  }

  private async processCallback(url: string): Promise<string> {
    const returnTo = sessionStorage.getItem(RETURN_KEY) ?? '/';
    const params = new URL(url).searchParams;
    try {
      const error = params.get('error');
      if (error) {
        // The provider's refusal: its state is spent, and no token will come of it.
        const state = params.get('state');
        if (state) sessionStorage.removeItem(`${STATE_PREFIX}${state}`);
        throw new SignInError('provider_error', params.get('error_description') ?? error);
      }
      const pendingInTab = hasPendingSignIn();
      const manager = await this.userManager();
      try {
        await manager.signinRedirectCallback(url);
      } catch (failure) {
        throw callbackFailure(failure, pendingInTab);
      }
      sessionStorage.removeItem(RETURN_KEY);
      this.schedule();
      return safeReturnPath(returnTo);
    } catch (error) {
      const failure = error instanceof SignInError ? error : callbackFailure(error, false);
      failure.returnTo = safeReturnPath(returnTo);
      throw failure;
    }
  }

  private userManager(): Promise<UserManager> {
    this.manager ??= this.deps.loadConfig().then(
      (config) => new UserManager(this.settings(config), this.redirectNavigator()),
      (error: unknown) => {
        this.manager = null; // the next attempt reads the configuration again
        throw error;
      },
    );
    return this.manager;
  }

  private settings(config: AuthConfig): UserManagerSettings {
    return {
      authority: config.issuer,
      client_id: config.client_id,
      redirect_uri: new URL(config.redirect_path, this.deps.origin).toString(),
      scope: config.scope,
      response_type: 'code',
      userStore: new SharedUserStore(),
      stateStore: new WebStorageStateStore({ prefix: STATE_PREFIX, store: sessionStorage }),
      // Renewal is ours (serialised across tabs, see above); the provider's session is not watched.
      automaticSilentRenew: false,
      monitorSession: false,
      // The API reads the user's profile from the access token: the userinfo endpoint is not needed.
      loadUserInfo: false,
      requestTimeoutInSeconds: PROVIDER_TIMEOUT_SECONDS,
    };
  }

  private redirectNavigator(): INavigator {
    const assign = this.deps.assign;
    return {
      prepare: () =>
        Promise.resolve({
          navigate: ({ url }) => {
            assign(url);
            return Promise.resolve({ url });
          },
          close: () => undefined,
        }),
      callback: () => Promise.resolve(),
    };
  }
}
