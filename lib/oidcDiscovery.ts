import axios from "axios";

/** The parts of an OpenID Provider's discovery document that this app uses. */
export interface DiscoveryDocument {
  issuer: string;
  token_endpoint: string;
  end_session_endpoint?: string;
  userinfo_endpoint?: string;
  jwks_uri: string;
}

/** Discovery failed or the document lacks what the app needs. */
export class DiscoveryError extends Error {
  readonly code = "DISCOVERY_FAILED";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DiscoveryError";
  }
}

const CACHE_TTL_MS = 60 * 60 * 1000;
const cache = new Map<string, { document: DiscoveryDocument; fetchedAt: number }>();

/**
 * Fetches `{issuer}/.well-known/openid-configuration`, cached for an hour per issuer.
 * Failures are not cached, so a provider that comes back is used at once.
 */
export async function discover(issuer: string, signal?: AbortSignal): Promise<DiscoveryDocument> {
  const hit = cache.get(issuer);
  if (hit && Date.now() - hit.fetchedAt < CACHE_TTL_MS) return hit.document;

  let document: DiscoveryDocument;
  try {
    const response = await axios.get<DiscoveryDocument>(`${issuer}/.well-known/openid-configuration`, {
      signal: signal ?? AbortSignal.timeout(5000),
      responseType: "json",
    });
    document = response.data;
  } catch (error) {
    throw new DiscoveryError(`Could not fetch the discovery document of ${issuer}`, { cause: error });
  }
  if (!document || document.issuer !== issuer || !document.token_endpoint || !document.jwks_uri) {
    throw new DiscoveryError(`The discovery document of ${issuer} does not name this issuer or lacks endpoints`);
  }
  cache.set(issuer, { document, fetchedAt: Date.now() });
  return document;
}

/** Forgets cached documents (tests, or after a provider's endpoints moved). */
export function clearDiscoveryCache(): void {
  cache.clear();
}
