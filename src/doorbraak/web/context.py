from django.conf import settings
from django.utils.translation import gettext_noop

from doorbraak import policy
from doorbraak.policy import Capability as C

# Navigation: (url name, label, capability or None for everyone)
NAV = [
    ("home", gettext_noop("Start"), None),
    ("case_list", gettext_noop("Casussen"), C.CASES_VIEW),
    ("concern_list", gettext_noop("Aanmeldingen"), C.CASES_MANAGE),
    ("my_concerns", gettext_noop("Mijn aanmeldingen"), C.CONCERNS_REPORT),
    ("catalogue", gettext_noop("Interventies"), C.CASES_VIEW),
    ("vog_list", gettext_noop("VOG-wijzer"), C.CASES_VIEW),
    ("outcomes", gettext_noop("Resultaten"), C.MONITORING_VIEW),
    ("premises_list", gettext_noop("Panden"), C.REGISTERS_VIEW),
    ("company_list", gettext_noop("Bedrijven"), C.REGISTERS_VIEW),
    ("source_list", gettext_noop("Bronnen"), C.REGISTERS_IMPORT),
    ("import_list", gettext_noop("Importen"), C.REGISTERS_IMPORT),
    ("entity_review", gettext_noop("Entiteiten"), C.REGISTERS_VIEW),
    ("entity_search", gettext_noop("Entiteit zoeken"), C.REGISTERS_VIEW),
    ("sector_view", gettext_noop("Kwetsbare sectoren"), C.MONEYFLOWS_VIEW),
    ("enforcement_actions", gettext_noop("Handhaving"), C.ENFORCEMENT_VIEW),
    ("enforcement_precision", gettext_noop("Precisie indicatoren"), C.ENFORCEMENT_FEEDBACK),
    ("monitoring", gettext_noop("Monitoring"), C.MONITORING_VIEW),
    ("processing_register", gettext_noop("Verwerkingsregister"), C.LEGAL_VIEW),
    ("covenant", gettext_noop("Convenant"), C.LEGAL_VIEW),
    ("audit_log", gettext_noop("Auditlog"), C.AUDIT_VIEW),
    ("retention", gettext_noop("Bewaartermijnen"), C.PRIVACY_MANAGE),
    ("subject_access", gettext_noop("Inzageverzoeken"), C.PRIVACY_MANAGE),
    ("organisation_list", gettext_noop("Organisaties"), C.PARTNERS_MANAGE),
    ("user_list", gettext_noop("Gebruikers"), C.PARTNERS_MANAGE),
    ("area_list", gettext_noop("Gebieden"), C.AREAS_MANAGE),
    ("job_list", gettext_noop("Mijn taken"), None),
]


def doorbraak(request):
    user = getattr(request, "user", None)
    nav = []
    if user is not None and user.is_authenticated and policy.is_verified(user):
        nav = [(name, label) for name, label, cap in NAV if cap is None or policy.has(user, cap)]
    return {"DEMO_MODE": settings.DEMO_MODE, "nav": nav}
