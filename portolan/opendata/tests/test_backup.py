"""backup_data / restore_data: a round trip into an empty database loses nothing."""

import hashlib
import io
import json

import pytest
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from portolan.accounts.models import User
from portolan.catalogue.models import (
    Attachment,
    Initiative,
    InitiativeTranslation,
    ModerationEvent,
    PortCenter,
)
from portolan.catalogue.services import linked_snapshot
from portolan.core.models import Audience, Goal, Theme
from portolan.opendata import rows as catalogue_rows
from portolan.testing.factories import (
    InitiativeFactory,
    MembershipFactory,
    OrganisationFactory,
    PortCenterFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db

RESTORED = "Restored from backup"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def rich_data(media):
    staff = StaffFactory(email="staff@example.org")
    membership = MembershipFactory(role="admin")
    org = membership.organisation
    org.logo.save("logo.png", ContentFile(b"\x89PNG fake logo"), save=True)
    partner = OrganisationFactory(external_id="EXT-ORG")
    initiative = InitiativeFactory(organisation=org, external_id="EXT-1", title="Génova → Bilbao ✓")
    initiative.partners.add(partner)
    initiative.themes.add(*Theme.objects.all()[:2])
    initiative.goals.add(Goal.objects.get(number=6))
    initiative.audiences.add(Audience.objects.first())
    InitiativeTranslation.objects.create(
        initiative=initiative, language="fr", title="Titre", summary="Résumé"
    )
    draft = InitiativeFactory(organisation=org, publication_status="draft", published_at=None)
    center = PortCenterFactory(
        organisation=org, offers=["exhibition", "boat_tours"], staff_fte="2.5"
    )
    center.operators.add(org, partner)
    center.audiences.add(*Audience.objects.all()[:3])
    attachment = Attachment(
        initiative=initiative, kind="document", title="Report", size=9, uploaded_by=staff
    )
    attachment.file.save("report.pdf", ContentFile(b"%PDF-1.4 x"), save=True)
    ModerationEvent.objects.create(initiative=draft, action="submit", actor=membership.user)
    # The links' snapshot as the services keep it (a restore writes it from the links).
    for record in (draft, center):
        type(record).objects.filter(pk=record.pk).update(linked=linked_snapshot(record, None))
    initiative.linked = linked_snapshot(initiative, None)
    # history rows with a user, as the web UI makes them
    initiative._history_user = staff
    initiative.summary = "Changed summary"
    initiative.save()
    return {"staff": staff, "initiative": initiative, "center": center}


def canonical(*, with_passwords=True):
    """Every backed-up object, leaving out the history versions a restore adds (one per record,
    checked on their own)."""
    objects = []
    for model in catalogue_rows.backup_models():
        queryset = model._default_manager.order_by("pk")
        if hasattr(model, "instance_type"):
            queryset = queryset.exclude(history_change_reason__startswith=RESTORED)
        data = serializers.serialize("python", queryset)
        for item in data:
            if item["model"] == "accounts.user" and not with_passwords:
                item["fields"].pop("password")
                item["fields"].pop("last_login")
            for key, value in item["fields"].items():
                if isinstance(value, list):
                    item["fields"][key] = sorted(value)
        objects.extend(data)
    return json.loads(json.dumps(objects, default=str))


def wipe():
    for model in reversed(catalogue_rows.backup_models()):
        model._default_manager.all().delete()


def test_round_trip_restores_every_record_with_the_same_ids(tmp_path, rich_data, media):
    before = canonical(with_passwords=False)
    assert len(before) > 30
    path = tmp_path / "backup.json"
    out = io.StringIO()
    call_command("backup_data", str(path), stdout=out)
    assert "Backup written" in out.getvalue()
    wipe()
    assert Initiative.objects.count() == 0
    call_command("restore_data", str(path), stdout=io.StringIO())
    after = canonical(with_passwords=False)
    assert after == before
    # the restored data is usable: slugs, m2m, translations, history
    initiative = Initiative.objects.get(external_id="EXT-1")
    assert initiative.slug == rich_data["initiative"].slug
    assert initiative.translations.get().title == "Titre"
    edit = initiative.history.exclude(history_change_reason__startswith=RESTORED).first()
    assert edit.history_user.email == "staff@example.org"
    assert sorted(PortCenter.objects.get().offers) == ["boat_tours", "exhibition"]


def test_users_are_backed_up_without_password_hashes_by_default(tmp_path, rich_data):
    path = tmp_path / "backup.json"
    call_command("backup_data", str(path), stdout=io.StringIO())
    text = path.read_text()
    hashed = User.objects.get(email="staff@example.org").password
    assert hashed not in text
    data = json.loads(text)
    assert data["format"] == "portolan-backup" and data["include_users"] is False
    wipe()
    call_command("restore_data", str(path), stdout=io.StringIO())
    restored = User.objects.get(email="staff@example.org")
    assert restored.is_staff
    assert not restored.has_usable_password()


def test_include_users_keeps_password_hashes_and_round_trips_exactly(tmp_path, rich_data):
    before = canonical()
    path = tmp_path / "backup.json"
    call_command("backup_data", str(path), "--include-users", stdout=io.StringIO())
    wipe()
    call_command("restore_data", str(path), stdout=io.StringIO())
    assert canonical() == before
    assert User.objects.get(email="staff@example.org").check_password("correct-horse-battery")


def test_manifest_lists_uploaded_files_and_media_copy_round_trips(tmp_path, rich_data, media):
    path = tmp_path / "backup.json"
    copy = tmp_path / "copy"
    call_command("backup_data", str(path), "--media", str(copy), stdout=io.StringIO())
    files = {f["path"]: f for f in json.loads(path.read_text())["files"]}
    attachment = Attachment.objects.get()
    entry = files[attachment.file.name]
    assert entry["size"] == len(b"%PDF-1.4 x")
    assert entry["sha256"] == hashlib.sha256(b"%PDF-1.4 x").hexdigest()
    assert any(name.startswith("logos/") for name in files)
    # the media folder is lost, then restored from the copy
    (media / attachment.file.name).unlink()
    wipe()
    out = io.StringIO()
    call_command("restore_data", str(path), "--media", str(copy), stdout=out)
    assert "and 2 files" in out.getvalue()
    assert (media / attachment.file.name).read_bytes() == b"%PDF-1.4 x"


def test_restore_refuses_a_database_that_is_not_empty(tmp_path, rich_data):
    path = tmp_path / "backup.json"
    call_command("backup_data", str(path), stdout=io.StringIO())
    count = Initiative.objects.count()
    with pytest.raises(CommandError, match="empty"):
        call_command("restore_data", str(path), stdout=io.StringIO())
    assert Initiative.objects.count() == count


@pytest.mark.parametrize(
    "content",
    ["not json", '{"format": "something-else"}', '{"format": "portolan-backup", "version": 99}'],
)
def test_restore_rejects_files_that_are_not_backups(tmp_path, content):
    path = tmp_path / "x.json"
    path.write_text(content)
    with pytest.raises(CommandError, match="Nothing was restored"):
        call_command("restore_data", str(path), stdout=io.StringIO())


def test_restore_of_a_corrupt_backup_writes_nothing(tmp_path, rich_data):
    path = tmp_path / "backup.json"
    call_command("backup_data", str(path), stdout=io.StringIO())
    data = json.loads(path.read_text())
    # An initiative pointing at an organisation that does not exist: fails halfway.
    for item in data["objects"]:
        if item["model"] == "catalogue.initiative":
            item["fields"]["organisation"] = 999999
    path.write_text(json.dumps(data))
    wipe()
    with pytest.raises(CommandError, match="cannot be loaded"):
        call_command("restore_data", str(path), stdout=io.StringIO())
    assert User.objects.count() == 0
    assert Initiative.objects.count() == 0


def test_backup_queries_do_not_grow_with_the_number_of_records(
    tmp_path, rich_data, django_assert_max_num_queries
):
    for _n in range(30):
        initiative = InitiativeFactory()
        initiative.themes.add(Theme.objects.first())
    with django_assert_max_num_queries(60):
        call_command("backup_data", str(tmp_path / "b.json"), stdout=io.StringIO())


def _backup(tmp_path, *args):
    path = tmp_path / "backup.json"
    call_command("backup_data", str(path), *args, stdout=io.StringIO())
    return path


def _counts():
    return {model: model._default_manager.count() for model in catalogue_rows.backup_models()}


def test_restore_records_a_history_entry_per_record(tmp_path, rich_data):
    from django.utils import timezone

    from portolan.accounts.models import Organisation

    records = [*Organisation.objects.all(), *PortCenter.objects.all(), *Initiative.objects.all()]
    versions = {(type(r), r.pk): r.history.count() for r in records}
    path = _backup(tmp_path)
    wipe()
    started = timezone.now()
    call_command("restore_data", str(path), "--user", "staff@example.org", stdout=io.StringIO())
    staff = User.objects.get(email="staff@example.org")
    for (model, pk), count in versions.items():
        record = model.objects.get(pk=pk)
        assert record.history.count() == count + 1, (model, pk)
        latest = record.history.first()
        assert latest.history_change_reason == "Restored from backup backup.json (restore_data)"
        assert latest.history_user == staff
        assert latest.history_type == "~"
        assert latest.history_date >= started
        assert latest.history_id > max(v.history_id for v in record.history.all()[1:]), (
            "the restore's version comes after the restored ones"
        )
        # The version is the record as restored, links included.
        assert latest.slug == record.slug
        if model is not Organisation:
            assert latest.linked == record.linked == linked_snapshot(record, None)
    # The history page of a restored record lists the restore and what came before.
    initiative = Initiative.objects.get(external_id="EXT-1")
    from portolan.catalogue.selectors_editor import history_entries

    entries = history_entries(initiative)
    assert entries[0].reason.startswith(RESTORED) and entries[0].user == staff
    assert any(entry.user == staff and entry.reason == "" for entry in entries[1:])


def test_restore_with_one_bad_row_writes_nothing(tmp_path, rich_data):
    path = _backup(tmp_path)
    data = json.loads(path.read_text())
    pk = rich_data["initiative"].pk
    for item in data["objects"]:
        if item["model"] == "catalogue.initiative" and item["pk"] == pk:
            item["fields"]["start_year"] = 1200
    path.write_text(json.dumps(data))
    wipe()
    empty = _counts()
    with pytest.raises(CommandError) as caught:
        call_command("restore_data", str(path), stdout=io.StringIO())
    message = str(caught.value)
    assert f"catalogue.initiative {pk}: start_year: Enter a year between 1800 and 2100." in message
    assert "Nothing was restored" in message
    assert _counts() == empty  # history versions included
    assert User.objects.count() == 0


def test_restore_names_every_bad_record_at_once(tmp_path, rich_data):
    path = _backup(tmp_path)
    data = json.loads(path.read_text())
    org = rich_data["initiative"].organisation_id
    theme = Theme.objects.order_by("pk").first().pk
    for item in data["objects"]:
        if item["model"] == "accounts.organisation" and item["pk"] == org:
            item["fields"]["website"] = "notaurl"
        if item["model"] == "catalogue.initiative" and item["fields"]["themes"]:
            item["fields"]["title"] = "<script>alert(1)</script>"
            item["fields"]["themes"] = [theme, 999_999]
    path.write_text(json.dumps(data))
    wipe()
    with pytest.raises(CommandError) as caught:
        call_command("restore_data", str(path), stdout=io.StringIO())
    message = str(caught.value)
    assert f"accounts.organisation {org}: website:" in message
    assert "themes: Unknown value(s): 999999." in message
    assert "Nothing was restored" in message
    assert Initiative.objects.count() == 0 and User.objects.count() == 0


def test_restore_keeps_ids_slugs_and_dates_for_links_and_feeds(tmp_path, rich_data):
    initiative = rich_data["initiative"]
    initiative.refresh_from_db()
    path = _backup(tmp_path)
    wipe()
    call_command("restore_data", str(path), stdout=io.StringIO())
    restored = Initiative.objects.get(pk=initiative.pk)
    assert restored.slug == initiative.slug
    assert restored.get_absolute_url() == initiative.get_absolute_url()
    assert (restored.created_at, restored.updated_at) == (
        initiative.created_at,
        initiative.updated_at,
    )
    # New records after a restore get fresh ids, history versions too.
    fresh = InitiativeFactory()
    assert fresh.pk > initiative.pk
    assert fresh.history.get().history_id > restored.history.first().history_id


def test_restore_by_a_user_not_in_the_backup_writes_nothing(tmp_path, rich_data):
    path = _backup(tmp_path)
    wipe()
    with pytest.raises(CommandError, match="nobody@example.org"):
        call_command("restore_data", str(path), "--user", "nobody@example.org")
    assert User.objects.count() == 0 and Initiative.objects.count() == 0
