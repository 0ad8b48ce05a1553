from django.conf import settings
from django.utils.translation import gettext_noop as N_

from doorbraak import policy
from doorbraak.policy import Capability as C

# Navigation: (url name, label, capability or None for everyone)
NAV = [
    ("home", N_("Start"), None),
    ("case_list", N_("Casussen"), C.CASES_VIEW),
    ("premises_list", N_("Panden"), C.REGISTERS_VIEW),
    ("company_list", N_("Bedrijven"), C.REGISTERS_VIEW),
    ("monitoring", N_("Monitoring"), C.MONITORING_VIEW),
    ("processing_register", N_("Verwerkingsregister"), C.LEGAL_VIEW),
    ("covenant", N_("Convenant"), C.LEGAL_VIEW),
    ("audit_log", N_("Auditlog"), C.AUDIT_VIEW),
    ("retention", N_("Bewaartermijnen"), C.PRIVACY_MANAGE),
    ("subject_access", N_("Inzageverzoeken"), C.PRIVACY_MANAGE),
    ("organisation_list", N_("Organisaties"), C.PARTNERS_MANAGE),
    ("user_list", N_("Gebruikers"), C.PARTNERS_MANAGE),
]


def doorbraak(request):
    user = getattr(request, "user", None)
    nav = []
    if user is not None and user.is_authenticated and policy.is_verified(user):
        nav = [(name, label) for name, label, cap in NAV if cap is None or policy.has(user, cap)]
    return {"DEMO_MODE": settings.DEMO_MODE, "nav": nav}
