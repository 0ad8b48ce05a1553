"""Every Django form renders with the NL Design System (Utrecht) components.

``FORM_RENDERER`` points here. Each widget gets the Utrecht class of its kind (textbox,
textarea, select, checkbox, radio button) and, when its field has an error, the invalid
variant; ``{{ field.as_field_group }}`` renders one field as an Utrecht form field (label,
description, error message, input; a fieldset with a legend for groups of checkboxes or radio
buttons), and ``{{ form }}`` renders all of them that way (templates ``forms/field.html`` and
``forms/form.html``). Django itself links the description and the error to the input
(``aria-describedby``) and marks an invalid input (``aria-invalid``)."""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates

TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"
WIDGET_CLASSES = {
    "textarea": "utrecht-textarea utrecht-textarea--html-textarea",
    "select": "utrecht-select utrecht-select--html-select",
    "checkbox": "utrecht-checkbox utrecht-checkbox--html-input",
    "radio": "utrecht-radio-button utrecht-radio-button--html-input",
    "file": "",
    "hidden": "",
}
INVALID = {
    "textarea": "utrecht-textarea--invalid",
    "select": "utrecht-select--invalid",
    "radio": "utrecht-radio-button--invalid",
}


def _kind(widget: dict) -> str:
    template = widget.get("template_name", "")
    if template.endswith("textarea.html"):
        return "textarea"
    if template.endswith(("select.html", "select_date.html")):
        return "select"
    return widget.get("type") or "text"


def _add_classes(attrs: dict, kind: str) -> None:
    classes = WIDGET_CLASSES.get(kind, TEXTBOX)
    if attrs.get("aria-invalid") == "true":
        classes = f"{classes} {INVALID.get(kind, 'utrecht-textbox--invalid' if classes == TEXTBOX else '')}"
    existing = attrs.get("class", "")
    merged = " ".join(dict.fromkeys(f"{classes} {existing}".split()))
    if merged:
        attrs["class"] = merged


class UtrechtFormRenderer(DjangoTemplates):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if isinstance(widget, dict) and "attrs" in widget:
            kind = _kind(widget)
            if kind in ("radio", "checkbox") and widget.get("optgroups"):
                # a group of radio buttons or checkboxes: each option is an input of that kind
                for _group, options, _index in widget["optgroups"]:
                    for option in options:
                        option["attrs"] = dict(option.get("attrs") or {})
                        if widget["attrs"].get("aria-invalid") == "true":
                            option["attrs"]["aria-invalid"] = "true"
                        _add_classes(option["attrs"], kind)
            else:
                widget["attrs"] = dict(widget["attrs"])
                _add_classes(widget["attrs"], kind)
        return super().render(template_name, context, request=request)
