// A real OpenID Connect provider (npm `oidc-provider`, certified implementation) for the ProConnect tests.
// Started by tests/support/oidc_provider.py on 127.0.0.1; configured by environment variables:
//   OIDC_PORT, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URIS, OIDC_POST_LOGOUT_URIS (comma-separated).
// Accounts: whatever login is typed in the provider's own login form is the account; its e-mail is that login
// (verified), like ProConnect's claims (email, given_name, usual_name).
import Provider from "oidc-provider";

const port = Number(process.env.OIDC_PORT);
const list = (name) => (process.env[name] || "").split(",").filter(Boolean);

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: process.env.OIDC_CLIENT_ID,
    client_secret: process.env.OIDC_CLIENT_SECRET,
    redirect_uris: list("OIDC_REDIRECT_URIS"),
    post_logout_redirect_uris: list("OIDC_POST_LOGOUT_URIS"),
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_post",
  }],
  scopes: ["openid", "email", "given_name", "usual_name"],
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    given_name: ["given_name"],
    usual_name: ["usual_name"],
  },
  async findAccount(ctx, id) {
    const local = id.split("@")[0];
    const [given, usual] = local.includes(".") ? local.split(".", 2) : [local, "Agent"];
    const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, email_verified: true, given_name: cap(given), usual_name: cap(usual) };
      },
    };
  },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  pkce: { required: () => true },
  cookies: { keys: ["cls-portal-test-only"] },
});
provider.proxy = false;

provider.listen(port, "127.0.0.1", () => {
  console.log(`oidc-provider ready on http://127.0.0.1:${port}`);
});
