"""Start the real OpenID Connect provider of tests/support/oidc (npm `oidc-provider`) on 127.0.0.1.

Installs it with `npm ci` (package-lock.json) when node_modules is missing. Skips the test, saying why, only
when Node.js is absent."""

from __future__ import annotations

import copy
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "oidc"
CLIENT_ID, CLIENT_SECRET = "portail-cls-test", "secret-de-test-du-portail-cls"


@dataclass
class RunningProvider:
    issuer: str
    process: subprocess.Popen

    def settings(self) -> dict:
        return {
            "PROCONNECT_ENABLED": True,
            "OIDC_RP_CLIENT_ID": CLIENT_ID, "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.issuer}/auth", "OIDC_OP_TOKEN_ENDPOINT": f"{self.issuer}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.issuer}/me", "OIDC_OP_JWKS_ENDPOINT": f"{self.issuer}/jwks",
            "OIDC_OP_LOGOUT_ENDPOINT": f"{self.issuer}/session/end", "OIDC_RP_SIGN_ALGO": "RS256",
        }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_installed() -> str:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("Node.js est absent de cette machine : le fournisseur OpenID Connect de test (npm oidc-provider) "
                    "ne peut pas démarrer. Installez nodejs et npm pour lancer ce test.")
    if not (HERE / "node_modules" / "oidc-provider").is_dir():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True, capture_output=True, timeout=300)
    return node


def start(portal_url: str) -> RunningProvider:
    """Start the provider with a client whose redirections point to `portal_url` (the live server)."""
    node = ensure_installed()
    port = _free_port()
    hosts = {portal_url.rstrip("/"), portal_url.rstrip("/").replace("localhost", "127.0.0.1")}
    env = {**os.environ, "OIDC_PORT": str(port), "OIDC_CLIENT_ID": CLIENT_ID, "OIDC_CLIENT_SECRET": CLIENT_SECRET,
           "OIDC_REDIRECT_URIS": ",".join(f"{h}/proconnect/retour/" for h in hosts),
           "OIDC_POST_LOGOUT_URIS": ",".join(f"{h}/connexion/" for h in hosts), "NODE_ENV": "test"}
    log = tempfile.NamedTemporaryFile("w+", prefix="oidc-provider-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen([node, "provider.mjs"], cwd=HERE, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        if "ready" in Path(log.name).read_text():
            return RunningProvider(issuer=f"http://127.0.0.1:{port}", process=process)
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"Le fournisseur OpenID Connect de test n'a pas démarré : {Path(log.name).read_text()}")


@pytest.fixture
def oidc_provider(live_server, settings):
    provider = start(live_server.url)
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "cls_portal.accounts.oidc.ProConnectBackend"]
    csp = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    csp["DIRECTIVES"]["form-action"].append(provider.issuer)  # as base.py does for the configured provider
    settings.CONTENT_SECURITY_POLICY = csp
    yield provider
    provider.process.terminate()
    try:
        provider.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        provider.process.kill()
