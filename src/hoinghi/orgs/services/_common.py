"""What the writes to the tree and the imports share: the fields a form may change, the
validation that refuses as OrgsError, and the call to the apps that keep figures per subtree."""

from functools import partial

from hoinghi.core import extensions
from hoinghi.core.errors import validate
from hoinghi.orgs.errors import OrgsError, OrgsErrorCode

UNIT_FIELDS = (
    "code",
    "name",
    "short_name",
    "kind",
    "sector",
    "member_count",
    "worker_count",
    "province",
    "place",
)
PERSON_FIELDS = (
    "code",
    "family_name",
    "middle_name",
    "given_name",
    "gender",
    "birth_date",
    "birth_year",
    "phone",
    "email",
    "unit",
)


def _tree_changed(**change) -> None:
    """Tell the apps that keep figures per subtree (orgs.tree_changed, declared in apps.py)."""
    for part in extensions.parts("orgs.tree_changed"):
        part(**change)


# full_clean(), refused as OrgsError(invalid) with the field errors kept apart.
_validate = partial(validate, error_class=OrgsError, code=OrgsErrorCode.INVALID)
