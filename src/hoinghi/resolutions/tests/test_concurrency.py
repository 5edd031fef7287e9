"""Two units of one district saving at the same moment: both values reach every ancestor (the
roll-up rows are locked, not read and overwritten). Real threads and real transactions, so that
PostgreSQL's row locks (and SQLite's write lock) do the work."""

import threading

import pytest
from django.db import connection

from hoinghi.orgs.tests.factories import UnitFactory
from hoinghi.resolutions import services
from hoinghi.resolutions.models import RollUp


@pytest.mark.django_db(transaction=True)
def test_values_saved_at_once_in_one_district_all_reach_the_national_total(small_tree, reporting, superuser):
    units = [small_tree.grassroots_a] + [
        UnitFactory(parent=small_tree.ba_dinh, kind=small_tree.grassroots_a.kind) for _ in range(5)
    ]
    start, errors = threading.Barrier(len(units)), []

    def save(unit, value):
        try:
            start.wait()
            services.datavalues_save(
                actor=superuser,
                dataset=reporting.dataset,
                unit=unit,
                period=reporting.year,
                values={("workers", ""): value},
            )
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(unit, 10 * (n + 1))) for n, unit in enumerate(units)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    national = RollUp.objects.get(unit=small_tree.national, period=reporting.year, element__code="workers")
    assert (national.value, national.reporting) == (sum(10 * (n + 1) for n in range(len(units))), len(units))
