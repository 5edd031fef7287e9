"""Writes to the organisation tree. Each service checks permission, validates, writes and audits.

`tree`: units, people and positions one at a time. `imports`: imports write in bulk:
`import_job_apply` takes a plan from `orgs.importers` and has the importers' writers
(`importers.applying`) write it with bulk_create / bulk_update in batches, filling the derived
columns with the same `unit_fill_derived` / `person_fill_derived` (`orgs.models`) as the
one-at-a-time services.
"""

from hoinghi.orgs.services._common import PERSON_FIELDS, UNIT_FIELDS  # noqa: F401
from hoinghi.orgs.services.imports import (  # noqa: F401
    import_job_apply,
    import_job_check,
    import_job_choose,
    import_job_create,
    import_job_fail,
    import_job_request_apply,
)
from hoinghi.orgs.services.tree import (  # noqa: F401
    person_create,
    person_delete,
    person_update,
    position_create,
    position_end,
    unit_create,
    unit_delete,
    unit_move,
    unit_update,
)
