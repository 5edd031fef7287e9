"""Headcount reasons were keyed by their label in the operator's language; they are codes now."""

from django.db import migrations

CODES = {
    "Ốm, việc gia đình": "illness_or_family",
    "Illness, family matters": "illness_or_family",
    "Đi công tác": "business_trip",
    "On official travel": "business_trip",
    "Không rõ lý do": "unknown",
    "No reason given": "unknown",
}


def labels_to_codes(apps, schema_editor):
    Headcount = apps.get_model("attendance", "Headcount")
    changed = []
    for headcount in Headcount.objects.only("id", "absent_reasons").iterator():
        reasons = {}
        for reason, count in headcount.absent_reasons.items():
            code = CODES.get(reason, reason)  # a key of no known label is kept as it was
            reasons[code] = reasons.get(code, 0) + count
        if reasons != headcount.absent_reasons:
            headcount.absent_reasons = reasons
            changed.append(headcount)
    Headcount.objects.bulk_update(changed, ["absent_reasons"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0003_checkin_is_simulated"),
    ]

    operations = [
        migrations.RunPython(labels_to_codes, migrations.RunPython.noop),
    ]
