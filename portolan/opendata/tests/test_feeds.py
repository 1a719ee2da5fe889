"""RSS and Atom feeds, sitemap.xml and robots.txt."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from portolan.testing.factories import InitiativeFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
SITE = "https://portolan.example.org"


@override_settings(SITE_URL=SITE)
def test_rss_lists_published_initiatives_newest_first_with_absolute_links(client, catalogue):
    catalogue["school"].published_at = timezone.now() - timedelta(days=3)
    catalogue["school"].save()
    response = client.get("/feeds/initiatives.rss")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("link").startswith(SITE)
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["Cruise welcome", "Harbour school days"]
    school = items[1]
    assert school.findtext("link") == f"{SITE}/en/catalogue/initiatives/harbour-school-days/" or (
        school.findtext("link").startswith(SITE + "/en/")
        and school.findtext("link").endswith("/harbour-school-days/")
    )
    assert school.findtext("guid") == school.findtext("link")
    assert school.findtext("pubDate")
    assert [c.text for c in school.findall("category")] == ["Education"]
    assert "Secret draft" not in response.content.decode()


@override_settings(SITE_URL=SITE)
def test_atom_feed_is_valid_atom(client, catalogue):
    response = client.get("/feeds/initiatives.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id").startswith(SITE)
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{SITE}/feeds/initiatives.atom"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    for entry in entries:
        assert entry.find(f"{ATOM}link").get("href").startswith(SITE)
        assert entry.findtext(f"{ATOM}updated")
        assert entry.findtext(f"{ATOM}summary")


def test_feed_filters_like_a_search(client, catalogue):
    channel = ET.fromstring(client.get("/feeds/initiatives.rss?theme=education").content)
    titles = [i.findtext("title") for i in channel.iter("item")]
    assert titles == ["Harbour school days"]
    channel = ET.fromstring(client.get("/feeds/initiatives.rss?q=cruise").content)
    assert [i.findtext("title") for i in channel.iter("item")] == ["Cruise welcome"]


def test_feed_with_bad_parameters_is_a_400(client, catalogue):
    response = client.get("/feeds/initiatives.atom?region=ZZ")
    assert response.status_code == 400
    assert b"region" in response.content


def test_feed_query_count_is_constant(client, catalogue, django_assert_num_queries):
    for _n in range(10):
        InitiativeFactory(organisation=catalogue["org"])
    # freshness (newest date and count, for the ETag), initiatives with organisation and city,
    # their themes
    with django_assert_num_queries(3):
        client.get("/feeds/initiatives.rss")


@override_settings(SITE_URL=SITE)
def test_sitemap_index_lists_every_section_with_absolute_urls(client, catalogue):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{SITEMAP}sitemapindex"
    locations = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    assert f"{SITE}/sitemap-initiatives.xml" in locations
    assert f"{SITE}/sitemap-port-centers.xml" in locations
    assert f"{SITE}/sitemap-organisations.xml" in locations
    assert f"{SITE}/sitemap-port-cities.xml" in locations
    assert f"{SITE}/sitemap-pages.xml" in locations


@override_settings(SITE_URL=SITE)
def test_sitemap_section_has_each_language_with_alternates(client, catalogue):
    response = client.get("/sitemap-initiatives.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    urls = root.findall(f"{SITEMAP}url")
    locations = [u.findtext(f"{SITEMAP}loc") for u in urls]
    assert len(urls) == 6  # two published initiatives in three languages
    assert all(loc.startswith(SITE + "/") for loc in locations)
    assert not any("secret-draft" in loc for loc in locations)
    for lang in ("en", "fr", "es"):
        assert any(loc.startswith(f"{SITE}/{lang}/") for loc in locations)
    alternates = urls[0].findall(f"{XHTML}link")
    assert {a.get("hreflang") for a in alternates} == {"en", "fr", "es", "x-default"}
    assert urls[0].findtext(f"{SITEMAP}lastmod")


def test_sitemap_sections_for_other_records_and_pages(client, catalogue):
    for section, expected in [
        ("port-centers", "lh-pc"),
        ("organisations", "havre-pa"),
        ("port-cities", "montreal"),
        ("pages", "/en/open-data/"),
    ]:
        response = client.get(f"/sitemap-{section}.xml")
        assert response.status_code == 200, section
        ET.fromstring(response.content)
        assert expected.encode() in response.content, section
    assert client.get("/sitemap-nothing.xml").status_code == 404


@override_settings(SITE_URL=SITE)
def test_robots_points_at_the_sitemap_and_keeps_crawlers_out_of_private_areas(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    for lang in ("en", "fr", "es"):
        assert f"Disallow: /{lang}/admin/" in lines
        assert f"Disallow: /{lang}/accounts/" in lines
        assert any(line.startswith(f"Disallow: /{lang}/") and "dashboard" in line for line in lines)
    assert "Disallow: /" not in lines


# --- what feed readers meet -----------------------------------------------------------------------

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DC = "{http://purl.org/dc/elements/1.1/}"


def test_feed_answers_304_to_if_modified_since_not_older_than_its_newest_entry(client, catalogue):
    from django.utils.http import http_date

    from portolan.catalogue.models import Initiative

    first = client.get("/feeds/initiatives.atom")
    assert first.status_code == 200
    newest = max(Initiative.objects.published().values_list("updated_at", flat=True)).timestamp()
    assert first["Last-Modified"] == http_date(newest)
    for since in (first["Last-Modified"], http_date(newest + 3600)):
        again = client.get("/feeds/initiatives.atom", HTTP_IF_MODIFIED_SINCE=since)
        assert again.status_code == 304
        assert again.content == b""
    older = client.get("/feeds/initiatives.atom", HTTP_IF_MODIFIED_SINCE=http_date(newest - 1))
    assert older.status_code == 200
    # An edit made later than the reader's copy gives the new feed.
    Initiative.objects.filter(pk=catalogue["cruise"].pk).update(
        updated_at=timezone.now() + timedelta(minutes=5)
    )
    changed = client.get("/feeds/initiatives.atom", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert changed.status_code == 200


def test_renaming_an_entrys_organisation_makes_the_feed_new_again(client, catalogue):
    from portolan.accounts.models import Organisation

    first = client.get("/feeds/initiatives.rss")
    Organisation.objects.filter(pk=catalogue["org"].pk).update(
        name="Le Havre Port", updated_at=timezone.now() + timedelta(minutes=5)
    )
    again = client.get(
        "/feeds/initiatives.rss",
        HTTP_IF_MODIFIED_SINCE=first["Last-Modified"],
        HTTP_IF_NONE_MATCH=first["ETag"],
    )
    assert again.status_code == 200
    assert b"Le Havre Port" in again.content


def test_feed_sends_an_etag_and_answers_304_to_if_none_match(client, catalogue):
    first = client.get("/feeds/initiatives.rss")
    etag = first["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    again = client.get("/feeds/initiatives.rss", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert client.get("/feeds/initiatives.rss?theme=education")["ETag"] != etag
    assert client.get("/feeds/initiatives.atom")["ETag"] != etag
    assert client.get("/fr/feeds/initiatives.rss")["ETag"] != etag
    # Unpublishing leaves the newest date alone; the ETag still changes.
    catalogue["school"].publication_status = "draft"
    catalogue["school"].save()
    from portolan.catalogue.models import Initiative

    Initiative.objects.filter(pk=catalogue["school"].pk).update(
        updated_at=timezone.now() - timedelta(days=30)
    )
    assert client.get("/feeds/initiatives.rss", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_unpublishing_the_newest_initiative_gives_a_new_feed_to_either_revalidation(
    client, catalogue
):
    from portolan.catalogue.models import Initiative

    Initiative.objects.filter(pk=catalogue["school"].pk).update(
        updated_at=timezone.now() - timedelta(days=2)
    )
    first = client.get("/feeds/initiatives.atom")
    assert b"Cruise welcome" in first.content
    # The newest entry leaves the feed (a member's edit sends it back to review), later than
    # the reader's copy: HTTP dates count whole seconds, so the change is dated a minute on.
    Initiative.objects.filter(pk=catalogue["cruise"].pk).update(
        publication_status="submitted", updated_at=timezone.now() + timedelta(minutes=1)
    )
    for headers in (
        {"HTTP_IF_MODIFIED_SINCE": first["Last-Modified"]},
        {"HTTP_IF_NONE_MATCH": first["ETag"]},
        {"HTTP_IF_MODIFIED_SINCE": first["Last-Modified"], "HTTP_IF_NONE_MATCH": first["ETag"]},
    ):
        again = client.get("/feeds/initiatives.atom", **headers)
        assert again.status_code == 200, headers
        assert b"Cruise welcome" not in again.content
        assert b"Harbour school days" in again.content
    assert again["Last-Modified"] != first["Last-Modified"]
    # The new copy is fresh until the next change.
    fresh = client.get("/feeds/initiatives.atom", HTTP_IF_MODIFIED_SINCE=again["Last-Modified"])
    assert fresh.status_code == 304
    # A draft that was never published is no part of the feed: editing it changes nothing.
    Initiative.objects.filter(pk=catalogue["draft"].pk).update(
        updated_at=timezone.now() + timedelta(minutes=5)
    )
    unchanged = client.get(
        "/feeds/initiatives.atom",
        HTTP_IF_MODIFIED_SINCE=again["Last-Modified"],
        HTTP_IF_NONE_MATCH=again["ETag"],
    )
    assert unchanged.status_code == 304


def test_not_modified_answer_costs_one_query(client, catalogue, django_assert_num_queries):
    etag = client.get("/feeds/initiatives.atom?q=cruise")["ETag"]
    with django_assert_num_queries(1):
        response = client.get("/feeds/initiatives.atom?q=cruise", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304


def test_each_entry_states_the_language_of_its_text(client, catalogue):
    InitiativeFactory(title="Escales", language="fr", organisation=catalogue["org"])
    InitiativeFactory(title="Mixed", language="other", organisation=catalogue["org"])
    feed = ET.fromstring(client.get("/feeds/initiatives.atom").content)
    assert feed.get(XML_LANG) == "en"
    langs = {e.findtext(f"{ATOM}title"): e.get(XML_LANG) for e in feed.iter(f"{ATOM}entry")}
    assert langs["Escales"] == "fr"
    assert langs["Cruise welcome"] == "en"
    assert langs["Mixed"] is None
    channel = ET.fromstring(client.get("/feeds/initiatives.rss").content).find("channel")
    items = {i.findtext("title"): i.findtext(f"{DC}language") for i in channel.iter("item")}
    assert items["Escales"] == "fr" and items["Cruise welcome"] == "en"
    assert items["Mixed"] is None


@override_settings(SITE_URL=SITE)
def test_filtered_feed_links_to_the_matching_search_page(client, catalogue):
    feed = ET.fromstring(client.get("/feeds/initiatives.atom?theme=education&q=school").content)
    alternate = feed.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert alternate == f"{SITE}/en/search/?q=school&theme=education"
    channel = ET.fromstring(client.get("/feeds/initiatives.rss?region=EU").content).find("channel")
    assert channel.findtext("link") == f"{SITE}/en/search/?region=EU"
    unfiltered = ET.fromstring(client.get("/feeds/initiatives.rss").content).find("channel")
    assert unfiltered.findtext("link") == f"{SITE}/en/open-data/"


@override_settings(SITE_URL=SITE)
@pytest.mark.parametrize(("lang", "fmt"), [("fr", "atom"), ("es", "rss"), ("fr", "rss")])
def test_feeds_under_a_language_prefix_are_served_in_that_language(client, catalogue, lang, fmt):
    response = client.get(f"/{lang}/feeds/initiatives.{fmt}?theme=education")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    if fmt == "atom":
        assert root.get(XML_LANG) == lang
        assert root.find(f"{ATOM}link[@rel='self']").get("href") == (
            f"{SITE}/{lang}/feeds/initiatives.atom?theme=education"
        )
        links = [e.find(f"{ATOM}link").get("href") for e in root.iter(f"{ATOM}entry")]
        alternate = root.find(f"{ATOM}link[@rel='alternate']").get("href")
    else:
        assert root.find("channel").findtext("language") == lang
        links = [i.findtext("link") for i in root.iter("item")]
        alternate = root.find("channel").findtext("link")
    assert links and all(link.startswith(f"{SITE}/{lang}/") for link in links)
    assert alternate == f"{SITE}/{lang}/search/?theme=education"
