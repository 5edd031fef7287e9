from enum import StrEnum

from hoinghi.core.errors import DomainError


class StreamErrorCode(StrEnum):
    INVALID = "invalid"
    NOT_FOUND = "not_found"
    CLOSED = "closed"


class StreamError(DomainError):
    pass
