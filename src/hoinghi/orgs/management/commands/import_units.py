from hoinghi.orgs.management.commands._importing import ImportCommand
from hoinghi.orgs.models import ImportKind


class Command(ImportCommand):
    help = (
        "Import units from a file, as the import page does: check it, print the preview (and every error "
        "with its row and column), then apply it all or nothing (--yes, or answer)."
    )
    kind = ImportKind.UNITS
