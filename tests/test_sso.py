"""Single sign-on with OpenID Connect against a fake identity provider: a local HTTP server (on
this work's ports) with a token, userinfo and JWKS endpoint, RS256-signed ID tokens, no network.
Roles and organisation from the administrator's group mapping or from trusted claims; the
provider's MFA as the second factor, else the user's own; local accounts still work."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse

from doorbraak.audit.models import AuditEntry
from doorbraak.partners.models import Role, User
from doorbraak.sso.models import SsoGroupMapping, SsoIdentity
from tests import factories as f
from tests.deploy.helpers import free_port

CLIENT_ID = "doorbraak-test"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


class FakeProvider:
    def __init__(self):
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.claims: dict = {}
        self.id_claims: dict = {}
        self.nonce = ""
        self.token_requests: list[dict] = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, body, status=200):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                provider.token_requests.append(form)
                if self.path != "/token" or form.get("code") != "goede-code":
                    return self._json({"error": "invalid_grant"}, 400)
                now = int(time.time())
                id_token = jwt.encode(
                    {
                        "iss": provider.issuer,
                        "aud": CLIENT_ID,
                        "sub": provider.claims["sub"],
                        "iat": now,
                        "exp": now + 300,
                        "nonce": provider.nonce,
                        **provider.id_claims,
                    },
                    KEY,
                    algorithm="RS256",
                    headers={"kid": "k1"},
                )
                return self._json({"id_token": id_token, "access_token": "toegang-123"})

            def do_GET(self):
                if self.path == "/jwks":
                    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key()))
                    return self._json({"keys": [{**jwk, "kid": "k1", "alg": "RS256"}]})
                if self.path == "/userinfo":
                    if self.headers.get("Authorization") != "Bearer toegang-123":
                        return self._json({"error": "invalid_token"}, 401)
                    return self._json(provider.claims)
                return self._json({}, 404)

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def provider(settings):
    with FakeProvider() as p:
        settings.OIDC_ENABLED = True
        settings.OIDC_RP_CLIENT_ID = CLIENT_ID
        settings.OIDC_RP_CLIENT_SECRET = "geheim"
        settings.OIDC_ISSUER = p.issuer
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{p.issuer}/authorize"
        settings.OIDC_OP_TOKEN_ENDPOINT = f"{p.issuer}/token"
        settings.OIDC_OP_USER_ENDPOINT = f"{p.issuer}/userinfo"
        settings.OIDC_OP_JWKS_ENDPOINT = f"{p.issuer}/jwks"
        settings.OIDC_RP_SIGN_ALGO = "RS256"
        settings.AUTHENTICATION_BACKENDS = [
            *settings.AUTHENTICATION_BACKENDS,
            "doorbraak.sso.backends.DoorbraakOIDCBackend",
        ]
        yield p


def _sso_login(client, provider, code="goede-code"):
    start = client.get(reverse("sso_start"))
    assert start.status_code == 302
    location = urlparse(start["Location"])
    assert location.netloc == f"127.0.0.1:{provider.port}" and location.path == "/authorize"
    query = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert query["client_id"] == CLIENT_ID and query["code_challenge_method"] == "S256"
    provider.nonce = query["nonce"]
    # ... the user logs in at the provider, which sends the browser back with a code:
    return client.get(
        reverse("oidc_authentication_callback"), {"code": code, "state": query["state"]}
    )


def test_sso_is_off_unless_configured(client, db):
    assert client.get(reverse("sso_start")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404
    assert "Inloggen via" not in client.get(reverse("login")).content.decode()


def test_first_login_makes_the_account_from_the_administrators_group_mapping(
    client, world, provider
):
    SsoGroupMapping.objects.create(
        group="GG-Doorbraak-Analisten", role=Role.ANALYST, organisation=world.orgs["riec"]
    )
    provider.claims = {
        "sub": "abc-123",
        "preferred_username": "j.devries",
        "email": "j.devries@riec.example",
        "given_name": "Jan",
        "family_name": "de Vries",
        "groups": ["GG-Alle-Medewerkers", "GG-Doorbraak-Analisten"],
    }
    provider.id_claims = {"amr": ["pwd", "mfa"]}
    assert "Inloggen via" in client.get(reverse("login")).content.decode()
    response = _sso_login(client, provider)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    user = User.objects.get(username="j.devries")
    assert (user.role, user.organisation) == (Role.ANALYST, world.orgs["riec"])
    assert not user.has_usable_password()
    assert SsoIdentity.objects.get(user=user).subject == "abc-123"
    # the provider's MFA is the second factor: the analyst reaches personal data
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("api_me")).json()["username"] == "j.devries"
    login = AuditEntry.objects.filter(action="login", username="j.devries").get()
    assert login.detail["sso"] is True and login.detail["second_factor"] is True
    # the token request used the code, the client secret and PKCE
    request = provider.token_requests[-1]
    assert request["client_secret"] == "geheim" and request["code_verifier"]


def test_the_mapping_decides_again_at_every_login_and_changes_are_audited(client, world, provider):
    mapping = SsoGroupMapping.objects.create(
        group="GG-Handhaving", role=Role.ENFORCEMENT_OFFICER, organisation=world.orgs["vth"]
    )
    provider.claims = {"sub": "xyz", "preferred_username": "p.jansen", "groups": "GG-Handhaving"}
    provider.id_claims = {"amr": ["mfa"]}
    _sso_login(client, provider)
    client.post(reverse("logout"))
    mapping.role = Role.LAWYER
    mapping.organisation = world.orgs["jz"]
    mapping.save()
    _sso_login(client, provider)
    user = User.objects.get(username="p.jansen")
    assert (user.role, user.organisation) == (Role.LAWYER, world.orgs["jz"])
    change = AuditEntry.objects.filter(
        action="update", object_type="user", object_id=str(user.pk)
    ).get()
    assert change.detail["changed"]["role"] == [Role.ENFORCEMENT_OFFICER, Role.LAWYER]
    assert User.objects.filter(sso_identity__subject="xyz").count() == 1  # the same account


def test_no_account_without_a_role(client, world, provider):
    provider.claims = {"sub": "nobody", "preferred_username": "onbekend", "groups": ["GG-Anders"]}
    response = _sso_login(client, provider)
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert not User.objects.filter(username="onbekend").exists()
    assert client.get(reverse("home")).status_code == 302
    assert AuditEntry.objects.filter(action="login_failed", object_type="sso").exists()
    # the direct claims count only where the installation trusts them
    provider.claims.update(doorbraak_role=Role.ANALYST, doorbraak_organisation="riec")
    _sso_login(client, provider)
    assert not User.objects.filter(username="onbekend").exists()


def test_trusted_claims_give_role_and_organisation(client, world, provider, settings):
    settings.OIDC_TRUST_ROLE_CLAIMS = True
    provider.claims = {
        "sub": "pol-1",
        "preferred_username": "agent.bakker",
        "doorbraak_role": Role.PARTNER_PROFESSIONAL,
        "doorbraak_organisation": "politie",
    }
    provider.id_claims = {"acr": "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard"}
    settings.OIDC_MFA_ACR = ["urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard"]
    assert _sso_login(client, provider)["Location"] == reverse("home")
    user = User.objects.get(username="agent.bakker")
    assert (user.role, user.organisation) == (Role.PARTNER_PROFESSIONAL, world.orgs["politie"])


def test_without_the_providers_mfa_the_users_own_second_factor_is_asked(client, world, provider):
    SsoGroupMapping.objects.create(
        group="analisten", role=Role.ANALYST, organisation=world.orgs["riec"]
    )
    provider.claims = {"sub": "s-9", "preferred_username": "zonder.mfa", "groups": ["analisten"]}
    provider.id_claims = {"amr": ["pwd"]}
    response = _sso_login(client, provider)
    assert response["Location"] == reverse("otp_verify")
    # no authenticator yet: set one up first; until then nothing but that page
    assert client.get(reverse("otp_verify"))["Location"] == reverse("otp_setup")
    assert client.get(reverse("case_list"))["Location"] == reverse("otp_setup")
    assert client.get(reverse("api_me")).status_code == 403


def test_a_token_for_another_client_or_a_bad_code_is_refused(client, world, provider):
    SsoGroupMapping.objects.create(
        group="analisten", role=Role.ANALYST, organisation=world.orgs["riec"]
    )
    provider.claims = {"sub": "s-1", "preferred_username": "iemand", "groups": ["analisten"]}
    provider.id_claims = {"aud": "een-andere-applicatie"}
    assert _sso_login(client, provider)["Location"] == reverse("login")
    provider.id_claims = {}
    assert _sso_login(client, provider, code="verkeerde-code")["Location"] == reverse("login")
    assert not User.objects.filter(username="iemand").exists()


def test_local_accounts_still_log_in_and_sso_accounts_have_no_password(client, world, provider):
    response = client.post(
        reverse("login"), {"username": "beleid", "password": f.PASSWORD, "otp_token": ""}
    )
    assert response.status_code == 302
    client.post(reverse("logout"))
    sso_user = f.UserFactory(username="sso.iemand", role=Role.POLICY_STAFF)
    sso_user.set_unusable_password()
    sso_user.save()
    response = client.post(
        reverse("login"), {"username": "sso.iemand", "password": "", "otp_token": ""}
    )
    assert response.status_code in (200, 401)
    assert client.get(reverse("home")).status_code == 302
