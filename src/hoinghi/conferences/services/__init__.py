"""Writes to conferences. Each service checks permission, validates, writes and audits."""

from hoinghi.conferences.services.clone import conference_clone  # noqa: F401
from hoinghi.conferences.services.conference import (  # noqa: F401
    conference_create,
    conference_delete,
    conference_transition,
    conference_update,
)
from hoinghi.conferences.services.email import (  # noqa: F401
    OUTBOX_BATCH,
    invitations_email,
    outbox_queue,
    outbox_retry,
    outbox_send,
)
from hoinghi.conferences.services.invitations import (  # noqa: F401
    conference_issue,
    invitation_token_revoke,
    invitations_reapply,
)
from hoinghi.conferences.services.materials import (  # noqa: F401
    material_check,
    material_delete,
    material_upload,
)
from hoinghi.conferences.services.operators import (  # noqa: F401
    OperatorAccount,
    checkin_url,
    operator_credentials_email,
    point_operator_password_renew,
    point_operators_create,
)
from hoinghi.conferences.services.points import (  # noqa: F401
    READINESS_ITEMS,
    person_assign_point,
    point_create,
    point_delete,
    point_link_tested_mark,
    point_operator_add,
    point_operator_remove,
    point_readiness_mark,
    point_serve_unit,
    point_unserve_unit,
    point_update,
)
from hoinghi.conferences.services.prints import (  # noqa: F401
    INVITATIONS_IMMEDIATE,
    invitation_print_build,
    invitation_print_fail,
    invitation_print_request,
    invitations_per_file,
    print_progress_key,
)
from hoinghi.conferences.services.programme import (  # noqa: F401
    presenter_add,
    presenter_remove,
    programme_item_create,
    programme_item_delete,
    programme_item_move,
    programme_item_update,
)
from hoinghi.conferences.services.rules import (  # noqa: F401
    override_remove,
    override_set,
    rule_delete,
    rule_save,
)
from hoinghi.conferences.services.sms import (  # noqa: F401
    SMS_BATCH,
    SmsQueued,
    invitations_sms,
    sms_retry,
    sms_send,
)
