"""The index follows catalogue changes: saves, deletes, relations, translations, publication."""

import pytest
from django.core.management import call_command

from portolan.catalogue.models import InitiativeTranslation, PublicationStatus
from portolan.core.models import Theme
from portolan.search import services
from portolan.search.models import SearchDocument
from portolan.search.selectors import SearchParams, parse_params, search
from portolan.search.tests.factories import index, initiative
from portolan.testing.factories import OrganisationFactory, PortCityFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_engine")]


def _ids(q, **filters):
    params, _ = parse_params({"q": q, **filters})
    return {(h.record_type, h.record_id) for h in search(params).hits}


def test_saving_a_published_record_indexes_it(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record = initiative(title="Marina open day")
    assert ("initiative", record.pk) in _ids("marina")
    with django_capture_on_commit_callbacks(execute=True):
        record.title = "Shipyard open day"
        record.save()
    assert ("initiative", record.pk) not in _ids("marina")
    assert ("initiative", record.pk) in _ids("shipyard")


def test_unpublishing_removes_and_deleting_removes(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record = initiative(title="Drydock tours")
    assert _ids("drydock")
    with django_capture_on_commit_callbacks(execute=True):
        record.publication_status = PublicationStatus.CHANGES_REQUESTED
        record.save()
    assert not _ids("drydock")
    with django_capture_on_commit_callbacks(execute=True):
        record.publication_status = PublicationStatus.PUBLISHED
        record.save()
    assert _ids("drydock")
    with django_capture_on_commit_callbacks(execute=True):
        record.delete()
    assert not _ids("drydock")
    assert not SearchDocument.objects.filter(record_type="initiative").exists()


def test_drafts_never_enter_the_index(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        initiative(
            title="Draft wharf", publication_status=PublicationStatus.DRAFT, published_at=None
        )
    assert not SearchDocument.objects.filter(record_type="initiative").exists()


def test_theme_changes_update_the_facets(django_capture_on_commit_callbacks):
    theme = Theme.objects.order_by("position").first()
    with django_capture_on_commit_callbacks(execute=True):
        record = initiative(title="Quayside garden")
    assert not _ids("quayside", theme=theme.slug)
    with django_capture_on_commit_callbacks(execute=True):
        record.themes.add(theme)
    assert _ids("quayside", theme=theme.slug)
    with django_capture_on_commit_callbacks(execute=True):
        theme.initiative_set.clear()
    assert not _ids("quayside", theme=theme.slug)


def test_translation_saves_are_indexed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record = initiative(title="Estuary clean-up")
    assert not _ids("estuaire")
    with django_capture_on_commit_callbacks(execute=True):
        translation = InitiativeTranslation.objects.create(
            initiative=record, language="fr", title="Nettoyage de l'estuaire", summary="Bénévoles."
        )
    assert ("initiative", record.pk) in _ids("estuaire")
    with django_capture_on_commit_callbacks(execute=True):
        translation.delete()
    assert not _ids("estuaire")


def test_renaming_a_port_city_reindexes_its_records(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        city = PortCityFactory(name="Oldname")
        record = initiative(title="Canal boats", organisation=OrganisationFactory(port_city=city))
    assert ("initiative", record.pk) in _ids("oldname")
    with django_capture_on_commit_callbacks(execute=True):
        city.name = "Newname"
        city.save()
    assert ("initiative", record.pk) in _ids("newname")
    assert ("port_city", city.pk) in _ids("newname")
    assert not _ids("oldname")


def test_rebuild_replaces_the_whole_index():
    initiative(title="Slipway one")
    initiative(title="Slipway two", publication_status=PublicationStatus.DRAFT, published_at=None)
    count = index()
    assert count == SearchDocument.objects.count()
    assert search(SearchParams(q="slipway")).total == 1
    assert index() == count  # idempotent


def test_rebuild_command_reports_its_count(capsys, django_capture_on_commit_callbacks):
    initiative(title="Boathouse")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rebuild_search_index")
    assert "Search index rebuilt:" in capsys.readouterr().out
    assert search(SearchParams(q="boathouse")).total == 1


def test_reindex_of_unknown_ids_is_harmless():
    assert services.reindex(record_type="initiative", ids=[999999]) == 0
    assert services.reindex(record_type="spaceship", ids=[1]) == 0


def test_a_bulk_write_signal_rebuilds_the_index_of_the_types_it_names(
    django_capture_on_commit_callbacks,
):
    from portolan.catalogue.models import Initiative
    from portolan.core.signals import records_bulk_written

    record = initiative(title="Bulk written lighthouse")
    SearchDocument.objects.all().delete()
    # Written without signals, as bulk paths do: the index knows nothing until told.
    Initiative.objects.filter(pk=record.pk).update(title="Bulk written beacon")
    assert _ids("beacon") == set()
    with django_capture_on_commit_callbacks(execute=True):
        records_bulk_written.send(sender=Initiative, record_types=["initiative"])
    assert _ids("beacon") == {("initiative", record.pk)}
