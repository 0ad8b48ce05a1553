"""Login with password and, for every role that sees personal data, a TOTP second factor."""

from __future__ import annotations

import base64
import io
import time

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from doorbraak import policy
from doorbraak.audit import services as audit
from doorbraak.audit.models import AuditAction

# One answer whatever was wrong (user name, password or second factor): the login page is no
# oracle for which accounts exist or which passwords are right.
LOGIN_FAILED_MESSAGE = _(
    "Inloggen mislukt. Controleer uw gebruikersnaam, wachtwoord en verificatiecode."
)


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Gebruikersnaam"), max_length=150)
    password = forms.CharField(label=_("Wachtwoord"), widget=forms.PasswordInput)
    otp_token = forms.CharField(
        label=_("Verificatiecode"),
        required=False,
        max_length=16,
        help_text=_(
            "De 6 cijfers uit uw authenticator-app, of een reservecode. Niet nodig voor "
            "beleidsmedewerkers."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class TokenForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Verificatiecode"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


@require_http_methods(["GET", "POST"])
def login_view(request):
    if request.user.is_authenticated and policy.is_verified(request.user):
        return redirect("home")
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = authenticate(request, username=data["username"], password=data["password"])
        if getattr(request, "axes_locked_out", False):
            audit.record(
                AuditAction.LOGIN_FAILED,
                username=data["username"][:150],
                detail={"reason": "locked out"},
            )
            return render(request, "registration/locked.html", status=429)
        if user is None:
            error = LOGIN_FAILED_MESSAGE
            audit.record(
                AuditAction.LOGIN_FAILED,
                username=data["username"][:150],
                detail={"reason": "password"},
            )
        elif policy.requires_second_factor(user):
            has_device = any(True for _d in devices_for_user(user, confirmed=True))
            token = (data["otp_token"] or "").strip()
            if not has_device:
                # First login: set up the second factor before anything else.
                login(request, user)
                return redirect("otp_setup")
            device = match_token(user, token) if token else None
            if device is None:
                # The same answer as a wrong password: the form never tells which part was wrong.
                error = LOGIN_FAILED_MESSAGE
                user_login_failed.send(
                    sender=__name__, credentials={"username": data["username"]}, request=request
                )
                audit.record(
                    AuditAction.LOGIN_FAILED, username=user.username, detail={"reason": "otp"}
                )
            else:
                login(request, user)
                otp_login(request, device)
                audit.record(
                    AuditAction.LOGIN,
                    user=user,
                    detail={"second_factor": True, "backup_code": isinstance(device, StaticDevice)},
                )
                return redirect(request.GET.get("next") if _safe_next(request) else "home")
        else:
            login(request, user)
            audit.record(AuditAction.LOGIN, user=user, detail={"second_factor": False})
            return redirect(request.GET.get("next") if _safe_next(request) else "home")
    status = 200 if not error else 401
    # In demo mode doorbraak.demo.context.login_help adds the demo accounts (settings.TEMPLATES).
    context = {
        "form": form,
        "error": error,
        "sso_name": settings.OIDC_PROVIDER_NAME if settings.OIDC_ENABLED else "",
    }
    return render(request, "registration/login.html", context, status=status)


def _safe_next(request) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    nxt = request.GET.get("next")
    return bool(nxt) and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()})


@require_http_methods(["POST"])
def logout_view(request):
    logout(request)
    return redirect("login")


@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Enrol a TOTP device: show the secret as QR code and confirm with a first code."""
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    if policy.is_verified(user):
        return redirect("home")
    if any(True for _d in devices_for_user(user, confirmed=True)):
        if request.session.get("doorbraak_sso"):
            # Single sign-on without the provider's MFA: the code of the user's own app.
            return redirect("otp_verify")
        # Has a device but this session is not verified: log in again with the code.
        logout(request)
        return redirect(reverse("login"))
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "authenticator"}
    )
    form = TokenForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp_token"].strip()):
            device.confirmed = True
            device.save()
            otp_login(request, device)
            audit.record(
                AuditAction.CREATE, user=user, object_type="otp_device", object_id=device.pk
            )
            # Backup codes, shown once, for when the phone is lost or not at hand.
            return render(
                request,
                "registration/backup_codes.html",
                {"codes": issue_backup_codes(user), "first_time": True},
            )
        error = _("Code onjuist. Controleer de tijd op uw telefoon en probeer opnieuw.")
    img = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buf = io.BytesIO()
    img.save(buf)
    qr = "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/otp_setup.html",
        {"form": form, "qr": qr, "secret": secret, "error": error},
    )


@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """The second factor after single sign-on, when the identity provider did not do
    multi-factor authentication itself: the code of the user's app, or a backup code."""
    user = request.user
    if not user.is_authenticated or not request.session.get("doorbraak_sso"):
        return redirect("login")
    if policy.is_verified(user):
        return redirect("home")
    if not any(True for _d in devices_for_user(user, confirmed=True)):
        return redirect("otp_setup")
    form = TokenForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["otp_token"].strip())
        if device is not None:
            otp_login(request, device)
            audit.record(
                AuditAction.LOGIN,
                user=user,
                detail={
                    "sso": True,
                    "second_factor": True,
                    "backup_code": isinstance(device, StaticDevice),
                },
            )
            return redirect("home")
        user_login_failed.send(
            sender=__name__, credentials={"username": user.get_username()}, request=request
        )
        audit.record(
            AuditAction.LOGIN_FAILED,
            username=user.get_username(),
            detail={"reason": "otp", "sso": True},
        )
        error = LOGIN_FAILED_MESSAGE
    return render(
        request,
        "registration/otp_verify.html",
        {"form": form, "error": error},
        status=401 if error else 200,
    )


BACKUP_CODE_COUNT = 10
BACKUP_DEVICE_NAME = "backup"


def issue_backup_codes(user) -> list[str]:
    """New single-use backup codes for the second factor (django-otp static tokens); the old ones
    stop working. Returned once, to be shown once: only the user ever sees them."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user, name=BACKUP_DEVICE_NAME).delete()
        device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _i in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
        audit.record(
            AuditAction.CREATE,
            user=user,
            object_type="otp_backup_codes",
            object_id=device.pk,
            detail={"count": len(codes)},
        )
    return codes


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(
        device__user=user, device__name=BACKUP_DEVICE_NAME, device__confirmed=True
    ).count()


@require_http_methods(["GET", "POST"])
def backup_codes(request):
    """How many backup codes are left; a POST replaces them with new ones, shown once."""
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    if not policy.requires_second_factor(user) or not policy.is_verified(user):
        return redirect("home")
    if request.method == "POST":
        return render(
            request,
            "registration/backup_codes.html",
            {"codes": issue_backup_codes(user), "first_time": False},
        )
    return render(request, "registration/backup_codes.html", {"left": backup_codes_left(user)})


class SecondFactorMiddleware:
    """A logged-in user whose role needs a second factor reaches nothing but the set-up page
    until the session is verified."""

    ALLOWED_PREFIXES = (
        "/static/",
        "/i18n/",
        "/inloggen/",
        "/uitloggen/",
        "/tweede-factor/",
        "/favicon.ico",
        "/gezondheid/",
        "/health/",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not policy.is_verified(user)
            and not request.path.startswith(self.ALLOWED_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                from doorbraak.api.problems import problem_response

                return problem_response(
                    403, _("Tweede factor vereist"), _("Log in met uw verificatiecode."), request
                )
            return redirect("otp_setup")
        return self.get_response(request)


class SessionTimeoutMiddleware:
    """Ends a session after DOORBRAAK_SESSION_IDLE_MINUTES without a request (the 8-hour limit
    from login, SESSION_COOKIE_AGE, applies besides). The last-seen time is written at most once a
    minute, not on every request."""

    KEY = "doorbraak_seen_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            seen = request.session.get(self.KEY)
            idle = settings.SESSION_IDLE_MINUTES * 60
            if seen is not None and now - int(seen) > idle:
                username = user.get_username()
                logout(request)
                audit.record(
                    AuditAction.UPDATE,
                    username=username,
                    object_type="session",
                    detail={"reason": "idle", "idle_minutes": settings.SESSION_IDLE_MINUTES},
                )
                if request.path.startswith("/api/"):
                    from doorbraak.api.problems import problem_response

                    return problem_response(
                        401, _("Sessie verlopen"), _("U was te lang niet actief."), request
                    )
                return redirect(f"{reverse('login')}?verlopen=1")
            if seen is None or now - int(seen) >= 60:
                request.session[self.KEY] = now
        return self.get_response(request)
