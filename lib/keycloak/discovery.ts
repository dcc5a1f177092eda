import axios from "axios";
import { AppError } from "../errors";

/** The parts of an OpenID Provider's discovery document that this app uses. */
export interface DiscoveryDocument {
  issuer: string;
  token_endpoint: string;
  end_session_endpoint?: string;
  userinfo_endpoint?: string;
  jwks_uri: string;
}

const CACHE_TTL_MS = 60 * 60 * 1000;
const DEFAULT_TIMEOUT_MS = 5000;
const cache = new Map<string, { document: DiscoveryDocument; fetchedAt: number }>();
const inFlight = new Map<string, Promise<DiscoveryDocument>>();
const lastFailure = new Map<string, { error: AppError; failedAt: number }>();

/** How a caller uses discovery beyond the shared cache. */
export interface DiscoverOptions {
  /**
   * Rethrow a failure seen less than this many ms ago instead of fetching again: for callers anyone can trigger
   * (the back-channel endpoint), so junk requests against a provider that is down do not become outbound requests.
   */
  reuseFailureForMs?: number;
  /** Ask the provider now, whatever is cached: a diagnosis of a failure must see the provider as it is. */
  fresh?: boolean;
}

/**
 * Fetches `{issuer}/.well-known/openid-configuration`, cached for an hour per issuer; concurrent callers share one
 * fetch. A failure is remembered only for callers that ask (`reuseFailureForMs`); for the others a provider that
 * comes back is used at once. Throws DISCOVERY_FAILED.
 */
export async function discover(issuer: string, signal?: AbortSignal, options: DiscoverOptions = {}): Promise<DiscoveryDocument> {
  const hit = cache.get(issuer);
  if (hit && !options.fresh && Date.now() - hit.fetchedAt < CACHE_TTL_MS) return hit.document;
  const failure = lastFailure.get(issuer);
  if (failure && options.reuseFailureForMs !== undefined && Date.now() - failure.failedAt < options.reuseFailureForMs) {
    throw failure.error;
  }

  let fetching = inFlight.get(issuer);
  if (!fetching) {
    fetching = fetchDocument(issuer).finally(() => inFlight.delete(issuer));
    inFlight.set(issuer, fetching);
  }
  if (!signal) return fetching;
  // A caller's own deadline ends its wait, not the shared fetch.
  return Promise.race([
    fetching,
    new Promise<never>((_, reject) => {
      if (signal.aborted) reject(new AppError("DISCOVERY_FAILED", `Discovery of ${issuer} timed out`));
      signal.addEventListener("abort", () => reject(new AppError("DISCOVERY_FAILED", `Discovery of ${issuer} timed out`)), { once: true });
    }),
  ]);
}

async function fetchDocument(issuer: string): Promise<DiscoveryDocument> {
  try {
    const document = await fetchAndCheck(issuer);
    lastFailure.delete(issuer);
    return document;
  } catch (error) {
    lastFailure.set(issuer, { error: error as AppError, failedAt: Date.now() });
    throw error;
  }
}

async function fetchAndCheck(issuer: string): Promise<DiscoveryDocument> {
  let document: DiscoveryDocument;
  try {
    const response = await axios.get<DiscoveryDocument>(`${issuer}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(DEFAULT_TIMEOUT_MS),
      responseType: "json",
    });
    document = response.data;
  } catch (error) {
    throw new AppError("DISCOVERY_FAILED", `Could not fetch the discovery document of ${issuer}`, { cause: error });
  }
  if (!document || document.issuer !== issuer || !document.token_endpoint || !document.jwks_uri) {
    throw new AppError("DISCOVERY_FAILED", `The discovery document of ${issuer} does not name this issuer or lacks endpoints`);
  }
  cache.set(issuer, { document, fetchedAt: Date.now() });
  return document;
}

/** Forgets cached documents (tests, or after a provider's endpoints moved). */
export function clearDiscoveryCache(): void {
  cache.clear();
  lastFailure.clear();
}
