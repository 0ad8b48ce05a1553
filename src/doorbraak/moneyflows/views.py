from django.shortcuts import render

from doorbraak.policy import Capability as C
from doorbraak.web.decorators import page

from . import services


@page(C.MONEYFLOWS_VIEW)
def sector_view(request):
    figure_set = services.latest_set()
    context = {"figure_set": figure_set}
    if figure_set is not None:
        context.update(
            services.sector_table(
                figure_set,
                period=request.GET.get("period"),
                area=request.GET.get("area") or "(alle wijken)",
            )
        )
    return render(request, "moneyflows/sectors.html", context)
