"""Public leaderboard pages, readable without JavaScript. They never show prompts."""

from itertools import groupby

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from experts.selectors import DomainNotFound, domain_get_by_slug
from leaderboards.charts import interval_chart
from leaderboards.selectors import fit_get_latest_finished, fit_standing_rows, leaderboard_list


def leaderboard_index(request: HttpRequest) -> HttpResponse:
    return render(request, "leaderboards/index.html", {"summaries": leaderboard_list()})


def leaderboard_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        domain = domain_get_by_slug(slug=slug)
    except DomainNotFound as error:
        raise Http404(error.message) from error
    fit = fit_get_latest_finished(domain=domain)
    rows = fit_standing_rows(fit=fit) if fit is not None else []
    components = [
        {"number": number, "rows": members, "chart": interval_chart(members)}
        for number, members in (
            (key, list(group)) for key, group in groupby(rows, key=lambda row: row.component)
        )
    ]
    context = {
        "domain": domain,
        "fit": fit,
        "components": components,
        "children": domain.children.order_by("slug"),
    }
    return render(request, "leaderboards/detail.html", context)
