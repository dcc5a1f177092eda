import { readForm, sendHtml } from "./http.mjs";
import { log } from "./log.mjs";
import { errorPage, loginPage } from "./pages.mjs";

/**
 * Local login form replacing oidc-provider's dev interactions (which load web fonts from the internet); `testUsers`
 * ({ username, password }) are listed under it.
 */
export function createInteractions({ provider, accounts, realmName, testUsers = [] }) {
  async function details(req, res) {
    try {
      return await provider.interactionDetails(req, res);
    } catch {
      sendHtml(res, 400, errorPage("Your login attempt timed out. Login will start from the beginning."));
      return undefined;
    }
  }

  /** Handles GET (show the form) and POST (check the password) on /login-actions/<uid>. */
  return async function handleInteraction(req, res, action) {
    const interaction = await details(req, res);
    if (!interaction) return;
    const { prompt } = interaction;

    if (prompt.name !== "login") {
      // Consent is implied for this realm's client (Keycloak: consentRequired false).
      await provider.interactionFinished(req, res, { consent: {} }, { mergeWithLastSubmission: true });
      return;
    }
    if (req.method !== "POST") {
      sendHtml(res, 200, loginPage({ action, realmName, testUsers }));
      return;
    }
    const form = await readForm(req);
    const user = accounts.authenticate(form.username, form.password);
    if (!user) {
      log(`login failed: username=${JSON.stringify(String(form.username ?? "").slice(0, 64))}`);
      sendHtml(res, 200, loginPage({ action, realmName, testUsers, username: form.username, error: "Invalid username or password." }));
      return;
    }
    log(`login: user=${user.username}`);
    await provider.interactionFinished(req, res, { login: { accountId: user.id } }, { mergeWithLastSubmission: false });
  };
}
