// The provider's side of the sign-out handshake, timed from the benchmark: a logout POSTed to the
// end-session endpoint over the caller's keep-alive agent, as lib/keycloakLogout.ts sends it. The app's ID
// tokens never leave its server, so the benchmark signs in as the same client itself (testing/oidcClient.mjs).
import { CLIENT } from "../testing/users.mjs";
import { httpRequest } from "./load.mjs";

/** POSTs a logout with `idToken` as hint to the end-session endpoint; resolves with the status. */
export function endSession({ issuer, idToken, agent }) {
  const body = new URLSearchParams({ id_token_hint: idToken, client_id: CLIENT.id }).toString();
  return httpRequest(`${issuer}/protocol/openid-connect/logout`, {
    method: "POST",
    agent,
    headers: { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) },
    body,
  });
}
