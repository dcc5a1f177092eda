import type { GetServerSidePropsContext } from "next";
import type { NextAuthOptions } from "next-auth";
import { systemClock, type Clock } from "./clock";
import type { Env } from "./config/env";
import type { KeycloakClient } from "./keycloak/keycloakClient";
import { createAuthOptions, type AuthHttpContext } from "./nextauth/authOptions";
import { guardPage, type GuardRequirements, type GuardResult } from "./nextauth/guardPage";
import { createLiveStreams, type LiveStreams } from "./nextauth/liveStreams";
import { createSessionReader, type SessionReader } from "./nextauth/mirror/sessionRoute";
import { acceptBackchannelLogout, type BackchannelOutcome } from "./session/backchannelLogout";
import { createBackgroundWorker, type BackgroundWorker } from "./session/backgroundWorker";
import { createSessionLifecycle } from "./session/lifecycle";
import { createLogoutQueue, type LogoutQueue } from "./session/logoutQueue";
import { createRevocation, type Revocation } from "./session/revocation";
import { createSessionEvents } from "./session/sessionEvents";
import { BACKGROUND_TICK_MS, SESSION_MAX_AGE_S } from "./session/sessionPolicy";
import { signOut, type SignOutOutcome } from "./session/signOut";
import { signOutEverywhere } from "./session/signOutEverywhere";
import type { KeyValueStore } from "./store/keyValueStore";

/** What the app is built from: the validated configuration, a store, a Keycloak client and a clock. */
export interface AuthDeps {
  env: Env;
  store: KeyValueStore;
  keycloak: KeycloakClient;
  clock?: Clock;
  /** Overrides for tests; the defaults are lib/session/logoutQueue.ts's. */
  logoutRetryDelaysMs?: readonly number[];
  maxPendingLogouts?: number;
}

/** Every operation of the app's session layer, wired once. */
export interface Auth {
  readonly env: Env;
  readonly store: KeyValueStore;
  readonly keycloak: KeycloakClient;
  readonly revocation: Revocation;
  readonly logoutQueue: LogoutQueue;
  /** next-auth options; with the NextAuth route's request and response, sign-out and sign-in use the browser's mark. */
  nextAuthOptions(http?: AuthHttpContext): NextAuthOptions;
  /** The read path: every server-side session read (GET /api/auth/session, pages, API routes). */
  readonly sessions: SessionReader;
  /** Page guard for getServerSideProps. */
  guardPage(context: GetServerSidePropsContext, requirements?: GuardRequirements): Promise<GuardResult>;
  /** A sign-out as events.signOut runs it. */
  signOut: (token: Parameters<typeof signOut>[0]) => Promise<SignOutOutcome>;
  /** Keycloak's back-channel logout. */
  backchannelLogout(logoutToken: string): Promise<BackchannelOutcome>;
  /** "Sign out everywhere" for a signed-in user. */
  signOutEverywhere(user: { sub: string; accessToken: string }): Promise<void>;
  /** Background work: revocations kept while the store was down, lost and due Keycloak logouts. */
  readonly worker: BackgroundWorker;
  /** Each browser's live channel: told at once when its session ends (GET /api/auth/events). */
  readonly liveStreams: LiveStreams;
}

/** The live channel's bounds: one stream per browser is the norm (one tab holds it), a few while tabs hand over. */
const LIVE_STREAM_LIMITS = { perSession: 4, perInstance: 2000, heartbeatMs: 25_000, retryMs: 3000 };

/**
 * The composition root: builds the whole session layer from its dependencies, as idp/app.mjs builds the provider.
 * The process builds one (lib/processAuth.ts); a test builds its own from a memory store and a clock of its own.
 */
export function createAuth(deps: AuthDeps): Auth {
  const { env, store, keycloak } = deps;
  const clock = deps.clock ?? systemClock;
  const sessionMaxAgeS = SESSION_MAX_AGE_S;

  const revocation = createRevocation({ store, clock, sessionMaxAgeS });
  const logoutQueue = createLogoutQueue({
    keycloak,
    store,
    clock,
    sessionMaxAgeS,
    retryDelaysMs: deps.logoutRetryDelaysMs,
    maxPending: deps.maxPendingLogouts,
  });
  revocation.onStoreReset(() => logoutQueue.forgetStored());
  const lifecycle = createSessionLifecycle({ keycloak, store, revocation, clock, refreshWaitMs: env.KEYCLOAK_REFRESH_WAIT_MS, sessionMaxAgeS });
  const signOutDeps = { keycloak, revocation, queue: logoutQueue, store, clock, federated: env.KEYCLOAK_FEDERATED_LOGOUT };
  const endSession = (token: Parameters<typeof signOut>[0]) => signOut(token, signOutDeps);
  const optionParts = {
    keycloak,
    secret: env.NEXTAUTH_SECRET,
    publicUrl: env.NEXTAUTH_URL,
    sessionMaxAgeS,
    lifecycle,
    signOut: endSession,
    clock,
  };
  const nextAuthOptions = (http?: AuthHttpContext) => createAuthOptions(optionParts, http);
  const sessions = createSessionReader({
    options: nextAuthOptions(),
    secret: env.NEXTAUTH_SECRET,
    publicUrl: env.NEXTAUTH_URL,
    sessionMaxAgeS,
    clock,
    cacheEntries: env.SESSION_COOKIE_CACHE_ENTRIES,
  });

  const events = createSessionEvents({ store, revocation, clock });
  const liveStreams = createLiveStreams({ sessions, events, limits: LIVE_STREAM_LIMITS });

  const worker = createBackgroundWorker(async () => {
    await revocation.generation();
    await revocation.flush();
    await logoutQueue.resync();
    await logoutQueue.retryDue();
  }, BACKGROUND_TICK_MS);

  return {
    env,
    store,
    keycloak,
    revocation,
    logoutQueue,
    nextAuthOptions,
    sessions,
    guardPage: async (context, requirements = {}) => guardPage(await sessions.read(context.req, context.res), context, requirements, clock),
    signOut: endSession,
    backchannelLogout: (logoutToken) => acceptBackchannelLogout(logoutToken, { keycloak, store, revocation }),
    signOutEverywhere: (user) => signOutEverywhere(user, { keycloak, revocation, store }),
    worker,
    liveStreams,
  };
}
