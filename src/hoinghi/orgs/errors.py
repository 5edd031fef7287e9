from enum import StrEnum

from hoinghi.core.errors import DomainError


class OrgsErrorCode(StrEnum):
    UNIT_HAS_CHILDREN = "unit_has_children"
    UNIT_HAS_PEOPLE = "unit_has_people"
    UNIT_HAS_POSITIONS = "unit_has_positions"
    MOVE_INTO_OWN_SUBTREE = "move_into_own_subtree"
    ROOT_NEEDS_SUPERUSER = "root_needs_superuser"
    INVALID = "invalid"
    IMPORT_FILE_TOO_LARGE = "import_file_too_large"
    IMPORT_FILE_UNREADABLE = "import_file_unreadable"
    IMPORT_TOO_MANY_ROWS = "import_too_many_rows"
    IMPORT_NOT_READY = "import_not_ready"
    IMPORT_HAS_ERRORS = "import_has_errors"
    IMPORT_STALE = "import_stale"


class OrgsError(DomainError):
    pass
