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
    IMPORT_FILE_TYPE = "import_file_type"
    IMPORT_FILE_EMPTY = "import_file_empty"
    IMPORT_BAD_HEADERS = "import_bad_headers"
    IMPORT_FAILED = "import_failed"
    IMPORT_FILE_UNCOMPRESSED_TOO_LARGE = "import_file_uncompressed_too_large"
    IMPORT_FILE_PASSWORD = "import_file_password"
    IMPORT_TOO_MANY_COLUMNS = "import_too_many_columns"
    IMPORT_CHOOSE_SHEET = "import_choose_sheet"
    IMPORT_NEEDS_CHOICE = "import_needs_choice"


class ImportRowErrorCode(StrEnum):
    """Why one cell of an imported file cannot be taken; shown with its row and column."""

    REQUIRED = "required"
    TOO_LONG = "too_long"
    DUPLICATE_CODE = "duplicate_code"
    UNKNOWN_PARENT = "unknown_parent"
    UNKNOWN_UNIT = "unknown_unit"
    UNKNOWN_KIND = "unknown_kind"
    UNKNOWN_SECTOR = "unknown_sector"
    UNKNOWN_PROVINCE = "unknown_province"
    UNKNOWN_ROLE = "unknown_role"
    UNKNOWN_GENDER = "unknown_gender"
    BAD_DATE = "bad_date"
    BAD_NUMBER = "bad_number"
    BAD_EMAIL = "bad_email"
    BAD_FLAG = "bad_flag"
    FLAG_WITHOUT_ROLE = "flag_without_role"
    OUTSIDE_SCOPE = "outside_scope"
    CYCLE = "cycle"
    ROOT_NOT_ALLOWED = "root_not_allowed"
    BAD_PHONE = "bad_phone"
    AMBIGUOUS_UNIT = "ambiguous_unit"
    AMBIGUOUS_PERSON = "ambiguous_person"


class OrgsError(DomainError):
    pass


class ImportChoiceNeeded(OrgsError):
    """The file can be read once the clerk chooses: its sheet, or where its columns are.

    `choices` is what the preview offers (kept in the job's summary): the sheets' names, or the
    header row's cells with the column each was placed in.
    """

    def __init__(self, message, *, code, params=None, choices: dict):
        super().__init__(message, code=code, params=params)
        self.choices = choices
