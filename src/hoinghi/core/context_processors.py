"""What every page's layout needs to know about the actor: which menu entries lead somewhere."""

from django.utils.functional import SimpleLazyObject

from hoinghi.core.permissions import reach

# Menu entry -> the action whose reach decides whether the entry is shown.
MENU = {
    "people": "orgs.view",
    "import": "orgs.import",
    "export": "orgs.export",
    "resolutions": "resolutions.view",
    "marking": "learning_reports.mark",
}


def menu(request) -> dict:
    """`may.people`, `may.import`, `may.export`, `may.resolutions`, `may.marking`: whether the
    actor may use that part at all (a bridge point's operator holds none of them). Read only
    when a template asks."""

    def entries():
        user = getattr(request, "user", None)
        return {entry: not reach(user, action).is_empty for entry, action in MENU.items()}

    return {"may": SimpleLazyObject(entries)}
