"""Take back the site-operator grants that naming a point's operator used to create.

`point_operator_add` once gave every operator a site-operator grant on the point's whole unit as a
side effect, and `point_operator_remove` never took it back: a removed operator kept seeing the
unit's people. Operator rights now come from the operator relation alone. A grant given on purpose
(through `accounts.services.grant_create`, which audits it) is kept; one with no such audit entry,
on the unit of a point its holder operates, was a side effect and goes, with an audit entry.
"""

from django.db import migrations


def take_back(apps, schema_editor):
    Grant = apps.get_model("accounts", "Grant")
    AuditEntry = apps.get_model("core", "AuditEntry")
    BridgePoint = apps.get_model("conferences", "BridgePoint")
    through = BridgePoint.operators.through
    pairs = set(through.objects.values_list("user_id", "bridgepoint__unit_id"))
    for grant in Grant.objects.filter(role="site_operator").select_related("user", "unit"):
        if (grant.user_id, grant.unit_id) not in pairs:
            continue
        given_on_purpose = AuditEntry.objects.filter(
            type="accounts.grant.created",
            unit_path=grant.unit.path,
            data__user=grant.user.username,
            data__role="site_operator",
        ).exists()
        if given_on_purpose:
            continue
        AuditEntry.objects.create(
            type="accounts.grant.revoked",
            object_repr=f"{grant.user.username} — site_operator — {grant.unit.name}"[:300],
            unit_path=grant.unit.path,
            data={"user": grant.user.username, "role": "site_operator", "reason": "operator_side_effect"},
        )
        grant.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("conferences", "0002_conference_is_demo"),
        ("accounts", "0002_initial"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(take_back, migrations.RunPython.noop)]
