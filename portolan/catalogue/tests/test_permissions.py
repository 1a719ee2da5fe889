from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from portolan.catalogue import permissions
from portolan.catalogue.models import Initiative, PortCenter, PublicationStatus
from portolan.core import registry
from portolan.testing.factories import (
    InitiativeFactory,
    MembershipFactory,
    OrganisationFactory,
    PortCenterFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOT_PUBLISHED = [s for s in PublicationStatus.values if s != PublicationStatus.PUBLISHED]


@pytest.fixture
def world():
    mine = MembershipFactory()
    other = OrganisationFactory()
    records = {}
    for status in PublicationStatus.values:
        records[("mine", status)] = InitiativeFactory(
            organisation=mine.organisation, publication_status=status
        )
        records[("other", status)] = InitiativeFactory(
            organisation=other, publication_status=status
        )
    return mine, other, records


def test_anonymous_users_see_only_published_records(world):
    _mine, _other, records = world
    anonymous = AnonymousUser()
    for (_owner, status), record in records.items():
        assert permissions.can_view(anonymous, record) == (status == PublicationStatus.PUBLISHED)
        assert not permissions.can_edit(anonymous, record)
    visible = Initiative.objects.filter(permissions.visible_filter(anonymous))
    assert set(visible.values_list("publication_status", flat=True)) == {"published"}
    assert visible.count() == 2


def test_editor_sees_own_drafts_but_not_another_organisations(world):
    mine, other, records = world
    editor = mine.user
    for status in NOT_PUBLISHED:
        assert permissions.can_view(editor, records[("mine", status)])
        assert permissions.can_edit(editor, records[("mine", status)])
        assert not permissions.can_view(editor, records[("other", status)])
        assert not permissions.can_edit(editor, records[("other", status)])
    published_other = records[("other", PublicationStatus.PUBLISHED)]
    assert permissions.can_view(editor, published_other)
    assert not permissions.can_edit(editor, published_other)
    assert not permissions.can_edit_for_organisation(editor, other.pk)
    assert permissions.can_edit_for_organisation(editor, mine.organisation_id)
    visible = set(Initiative.objects.filter(permissions.visible_filter(editor)))
    expected = {r for (owner, status), r in records.items() if owner == "mine"} | {published_other}
    assert visible == expected


def test_port_centers_follow_the_same_rule():
    mine = MembershipFactory()
    theirs = PortCenterFactory(publication_status=PublicationStatus.DRAFT)
    own = PortCenterFactory(organisation=mine.organisation, publication_status="draft")
    assert not permissions.can_view(mine.user, theirs)
    assert permissions.can_view(mine.user, own)
    assert list(PortCenter.objects.filter(permissions.visible_filter(mine.user))) == [own]


def test_staff_see_and_edit_everything_but_inactive_staff_nothing(world):
    _mine, _other, records = world
    staff = StaffFactory()
    assert all(permissions.can_edit(staff, r) for r in records.values())
    assert permissions.can_moderate(staff)
    inactive = StaffFactory(is_active=False)
    assert not permissions.can_moderate(inactive)
    assert not permissions.can_edit(inactive, records[("other", PublicationStatus.DRAFT)])


def test_users_without_membership_cannot_edit_anything(world):
    _mine, _other, records = world
    nobody = UserFactory()
    assert not any(permissions.can_edit(nobody, r) for r in records.values())
    assert not permissions.can_moderate(nobody)
    assert permissions.editable_organisations(nobody).count() == 0


# --- the record types' permissions, as the registry names them --------------------------------


def test_the_registry_asks_these_rules_for_every_catalogue_record_type():
    member = MembershipFactory()
    staff = StaffFactory()
    anonymous = AnonymousUser()
    for key, factory in (("initiative", InitiativeFactory), ("port_center", PortCenterFactory)):
        rules = registry.get(key).permissions
        draft = factory(
            organisation=member.organisation, publication_status="draft", published_at=None
        )
        assert not rules.can_view(anonymous, draft)
        assert rules.can_view(member.user, draft) and rules.can_edit(member.user, draft)
        assert not rules.can_moderate(member.user) and rules.can_moderate(staff)
    for key in ("organisation", "port_city"):
        rules = registry.get(key).permissions
        record = member.organisation if key == "organisation" else member.organisation.port_city
        assert rules.can_view(anonymous, record)
        assert not rules.can_edit(member.user, record) and rules.can_edit(staff, record)
