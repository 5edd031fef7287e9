from hoinghi.core.permissions import GrantRole
from hoinghi.orgs import selectors
from hoinghi.orgs.tests.factories import PersonFactory, PositionFactory, PositionRoleFactory


def _person(unit, full_name: str, **fields):
    family, *middle, given = full_name.split()
    return PersonFactory(
        unit=unit, family_name=family, middle_name=" ".join(middle), given_name=given, **fields
    )


def test_people_sort_by_given_then_middle_then_family_the_same_on_every_database(small_tree, superuser):
    names = [
        "Nguyễn Văn Bình",
        "Trần Thị Ánh",
        "Lê Văn An",
        "Nguyễn Văn An",
        "Phạm Thị Anh",
        "Đỗ Đức Đạt",
        "Hoàng Minh Dũng",
        "Vũ Thị Ăn",
        "Bùi Văn Ân",
        "Ngô Thị Yến",
        "Đặng Văn Chiến",
        "Lý Thị Hà",
    ]
    for name in names:
        _person(small_tree.grassroots_a, name)

    ordered = [person.full_name for person in selectors.person_list(actor=superuser)]

    assert ordered == [
        # "anh" < "ăn": a < ă decides before the length does; tones count only after the letters.
        "Lê Văn An",
        "Nguyễn Văn An",
        "Phạm Thị Anh",
        "Trần Thị Ánh",
        "Vũ Thị Ăn",
        "Bùi Văn Ân",
        "Nguyễn Văn Bình",
        "Đặng Văn Chiến",
        "Hoàng Minh Dũng",
        "Đỗ Đức Đạt",
        "Lý Thị Hà",
        "Ngô Thị Yến",
    ]


def test_search_ignores_diacritics_and_case(small_tree, superuser):
    wanted = _person(small_tree.grassroots_a, "Nguyễn Văn An")
    _person(small_tree.grassroots_a, "Nguyễn Văn Anh")
    _person(small_tree.grassroots_a, "Trần Văn An")

    found = list(selectors.person_list(actor=superuser, search="nguyen van an"))
    assert wanted in found
    assert {person.full_name for person in found} == {"Nguyễn Văn An", "Nguyễn Văn Anh"}
    assert list(selectors.person_list(actor=superuser, search="NGUYỄN VĂN AN")) == found


def test_units_search_finds_ha_noi_without_accents(small_tree, superuser):
    codes = set(selectors.unit_list(actor=superuser, search="ha noi").values_list("code", flat=True))
    assert codes == {"HN"}
    assert set(selectors.unit_list(actor=superuser, search="hn-bd").values_list("code", flat=True)) == {
        "HN-BD",
        "HN-BD-001",
    }


def test_people_of_a_subtree_are_counted_within_the_actors_scope(small_tree, make_user):
    for index in range(3):
        _person(small_tree.grassroots_a, f"Nguyễn Văn An{index}")
    _person(small_tree.ba_dinh, "Lê Thị Hoa")
    _person(small_tree.grassroots_b, "Trần Văn Nam")
    hanoi_viewer = make_user(GrantRole.VIEWER, small_tree.hanoi)
    district_viewer = make_user(GrantRole.VIEWER, small_tree.grassroots_a)

    assert selectors.person_count(actor=hanoi_viewer, unit=small_tree.hanoi) == 4
    assert selectors.person_count(actor=district_viewer, unit=small_tree.grassroots_a) == 3
    # Asking about a wider unit still only counts what the actor can see.
    assert selectors.person_count(actor=district_viewer, unit=small_tree.national) == 3
    assert selectors.person_list(actor=hanoi_viewer, unit=small_tree.national).count() == 4


def test_role_filter_keeps_only_current_holders(small_tree, superuser):
    chair = PositionRoleFactory(code="grassroots_chair", name="Chủ tịch công đoàn cơ sở")
    current = PositionFactory(role=chair, person=_person(small_tree.grassroots_a, "Lê Văn Tám")).person
    PositionFactory(role=chair, person=_person(small_tree.grassroots_b, "Lê Văn Chín"), end_date="2017-12-31")
    assert list(selectors.person_list(actor=superuser, role=chair)) == [current]
