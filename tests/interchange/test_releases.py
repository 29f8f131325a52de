"""Releases: made from published snapshots, immutable, named by date, reproducible."""

import datetime
import hashlib
import io
import json
import zipfile

import pytest
import yaml
from django.core.management import CommandError, call_command

from guidebook.catalogue.models import Programme, Snapshot
from guidebook.interchange.models import Release, ReleaseImmutable
from guidebook.interchange.releases import (
    ReleaseRefused,
    archive_name,
    check_release,
    make_release,
    rebuild_release_files,
)
from guidebook.interchange.releases.storage import ReleaseExists, release_folder, write_release
from tests.catalogue.map_catalogue import demo_data, store_and_publish
from tests.editorial.test_rerate import mixed_record

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def releases_dir(settings, tmp_path):
    settings.RELEASES_DIR = tmp_path / "releases"
    return settings.RELEASES_DIR


@pytest.fixture
def catalogue():
    """Two programmes: one with mixed findings published under eif-2017, and FUN FRIENDS."""
    from guidebook.catalogue.convert import save_record
    from guidebook.catalogue.publishing import publish

    publish(save_record(mixed_record()), note="first", standard_key="eif-2017")
    store_and_publish(demo_data("fun-friends"))


def files_on_disk(name):
    folder = release_folder(name)
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_it_freezes_every_current_snapshot_with_its_files(catalogue):
    release = make_release("First release", day=DAY)
    assert release.name == "2026-03-02" and release.sequence == 1 and release.previous is None
    assert set(release.entries.values_list("slug", flat=True)) == {"mixed-messages", "fun-friends"}
    files = files_on_disk(release.name)
    assert set(files) == set(release.checksums)
    expected = {
        "release.json",
        "CHANGELOG.md",
        "changelog.json",
        "CITATION.cff",
        "datacite.json",
        "SHA256SUMS",
        "data/datapackage.json",
        "data/programmes.csv",
        "data/findings.csv",
        "records/mixed-messages.json",
        "records/fun-friends.json",
        "fhir/mixed-messages.json",
        "fhir/fun-friends.json",
        "map/evidence-map-age-group.json",
        "map/evidence-map-age-group.csv",
        "map/evidence-map-targeting.csv",
        archive_name("2026-03-02"),
        archive_name("2026-03-02") + ".sha256",
    }
    assert expected <= set(files)
    for path, data in files.items():
        assert release.checksums[path] == hashlib.sha256(data).hexdigest(), path


def test_the_record_files_are_the_published_records(catalogue):
    release = make_release(day=DAY)
    files = files_on_disk(release.name)
    snapshot = Snapshot.objects.get(slug="fun-friends", is_current=True)
    assert json.loads(files["records/fun-friends.json"]) == snapshot.record


def test_the_checksum_file_checks_every_file_of_the_zip(catalogue):
    release = make_release(day=DAY)
    files = files_on_disk(release.name)
    sums = dict(reversed(line.split("  ", 1)) for line in files["SHA256SUMS"].decode().splitlines())
    archive = zipfile.ZipFile(io.BytesIO(files[archive_name(release.name)]))
    inside = {
        name.removeprefix(f"guidebook-release-{release.name}/"): archive.read(name)
        for name in archive.namelist()
    }
    assert set(inside) == set(sums) | {"SHA256SUMS"}
    for path, data in inside.items():
        if path != "SHA256SUMS":
            assert sums[path] == hashlib.sha256(data).hexdigest()
    assert {info.date_time for info in archive.infolist()} == {(2026, 3, 2, 0, 0, 0)}
    zip_sum = files[archive_name(release.name) + ".sha256"].decode()
    assert (
        zip_sum
        == f"{hashlib.sha256(files[archive_name(release.name)]).hexdigest()}  {archive_name(release.name)}\n"
    )


def test_a_release_is_rebuilt_byte_for_byte_from_its_snapshots(catalogue, settings):
    release = make_release("Reproducible", day=DAY)
    made = files_on_disk(release.name)
    # Nothing of the day it is rebuilt may matter: not the settings, not the clock.
    settings.GUIDEBOOK_SITE_URL = "https://elsewhere.example"
    settings.GUIDEBOOK_PUBLISHER = "Someone else"
    store_and_publish(demo_data("mellow-toddlers"))
    rebuilt = rebuild_release_files(Release.objects.get(pk=release.pk))
    assert rebuilt == made
    result = check_release(release)
    assert result.reproduced and result.files == len(made)
    assert result.missing_on_disk == ()


def test_the_order_keys_come_back_from_the_database_in_does_not_matter(catalogue):
    # PostgreSQL's jsonb returns keys in an order of its own; simulate that here.
    release = make_release(day=DAY)
    citation = dict(release.citation)
    citation["licence"] = dict(reversed(list(citation["licence"].items())))
    Release.objects.filter(pk=release.pk).update(citation=dict(reversed(list(citation.items()))))
    assert check_release(Release.objects.get(pk=release.pk)).reproduced


def test_a_check_finds_a_file_changed_on_disk(catalogue):
    release = make_release(day=DAY)
    target = release_folder(release.name) / "CHANGELOG.md"
    target.chmod(0o644)
    target.write_text("tampered\n")
    result = check_release(release)
    assert not result.reproduced
    assert result.differ_on_disk == ("CHANGELOG.md",) and result.differ_from_record == ()


def test_a_second_release_the_same_day_gets_a_suffix_and_follows_the_first(catalogue):
    first = make_release(day=DAY)
    second = make_release(day=DAY)
    third = make_release(day=DAY + datetime.timedelta(days=1))
    assert [first.name, second.name, third.name] == ["2026-03-02", "2026-03-02-2", "2026-03-03"]
    assert second.previous == first and third.previous == second


def test_a_release_cannot_be_dated_before_the_last_one(catalogue):
    make_release(day=DAY)
    with pytest.raises(ReleaseRefused, match="dated after 2026-03-01"):
        make_release(day=DAY - datetime.timedelta(days=1))


def test_nothing_published_nothing_released(db):
    with pytest.raises(ReleaseRefused, match="Nothing is published yet"):
        make_release(day=DAY)
    assert Release.objects.count() == 0


def test_a_release_never_changes(catalogue):
    release = make_release(day=DAY)
    release.notes = "changed"
    with pytest.raises(ReleaseImmutable):
        release.save()
    release.refresh_from_db()
    release.checksums = {}
    with pytest.raises(ReleaseImmutable):
        release.save(update_fields=["checksums"])


def test_its_folder_is_never_written_over(catalogue):
    release = make_release(day=DAY)
    with pytest.raises(ReleaseExists):
        write_release(release.name, {"x.txt": b"x"})
    assert not (release_folder(release.name) / "x.txt").exists()


def test_a_folder_in_the_way_refuses_the_release_and_records_nothing(catalogue, releases_dir):
    (releases_dir / "2026-03-02").mkdir(parents=True)
    with pytest.raises(ReleaseRefused, match="never written over"):
        make_release(day=DAY)
    assert Release.objects.count() == 0


def test_the_snapshots_of_a_release_cannot_be_deleted(catalogue):
    from django.db.models import ProtectedError

    make_release(day=DAY)
    with pytest.raises(ProtectedError):
        Programme.objects.get(slug="fun-friends").delete()


def test_the_changelog_explains_a_re_rating(catalogue):
    make_release("Before", day=DAY)
    call_command("rerate", "--standard", "eif-2018", "--note", "Re-rated under the 2018 standard")
    second = make_release("After re-rating", day=DAY)
    files = files_on_disk(second.name)
    changes = json.loads(files["changelog.json"])
    assert changes["previous"] == "2026-03-02"
    [change] = changes["ratings_changed"]
    assert change["programme"] == "mixed-messages"
    assert (change["from"], change["to"]) == ("3", "3*")
    assert (change["from_standard"], change["to_standard"]) == ("eif-2017 1.0", "eif-2018 1.0")
    assert change["reason"] == "Re-rated under the 2018 standard"
    assert change["rules"] == ["asterisk.mixed-findings"]
    markdown = files["CHANGELOG.md"].decode()
    assert (
        "**Mixed Messages** (`mixed-messages`): 3 to 3*, under eif-2017 1.0 then eif-2018 1.0."
        in markdown
    )
    assert "  - Why: Re-rated under the 2018 standard" in markdown
    assert "  - Rules that made the difference: asterisk.mixed-findings" in markdown


def test_the_changelog_lists_programmes_added_withdrawn_and_cost_bands_changed(catalogue):
    from tests.public.published import COMPLETE_COST

    make_release(day=DAY)
    Programme.objects.get(slug="mixed-messages").snapshots.update(is_current=False)  # withdrawn
    store_and_publish(demo_data("mellow-toddlers"))
    from guidebook.catalogue.models import CostProfile
    from guidebook.catalogue.publishing import publish

    CostProfile.objects.filter(programme__slug="fun-friends").update(**COMPLETE_COST)
    publish(Programme.objects.get(slug="fun-friends"), note="Cost inputs recorded")
    changes = json.loads(files_on_disk(make_release(day=DAY).name)["changelog.json"])
    assert [item["programme"] for item in changes["added"]] == ["mellow-toddlers"]
    assert [item["programme"] for item in changes["withdrawn"]] == ["mixed-messages"]
    [cost] = changes["cost_bands_changed"]
    assert (
        cost["programme"] == "fun-friends"
        and cost["from"] == "1"
        and cost["reason"] == "Cost inputs recorded"
    )


def test_the_first_changelog_lists_every_programme_as_added(catalogue):
    markdown = files_on_disk(make_release("Hello", day=DAY).name)["CHANGELOG.md"].decode()
    assert markdown.startswith(
        "# Changelog: release 2026-03-02 (2026-03-02)\n\nHello\n\nThe first release: 2 published programmes."
    )
    assert "## Programmes withdrawn" not in markdown


def test_citation_metadata_is_ready_for_a_doi(catalogue, settings):
    settings.GUIDEBOOK_PUBLISHER = "Example Evidence Centre"
    first = make_release(day=DAY)
    second = make_release("Second", day=DAY)
    files = files_on_disk(second.name)
    cff = yaml.safe_load(files["CITATION.cff"])
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset"
    assert cff["version"] == "2026-03-02-2" and cff["date-released"] == "2026-03-02"
    assert cff["authors"] == [{"name": "Example Evidence Centre"}]
    assert cff["license"] == "CC-BY-4.0"
    assert cff["url"] == "http://127.0.0.1:8000/downloads/releases/2026-03-02-2/"
    attributes = json.loads(files["datacite.json"])["data"]["attributes"]
    for mandatory in ("creators", "titles", "publisher", "publicationYear", "types"):
        assert attributes[mandatory], mandatory
    assert attributes["types"]["resourceTypeGeneral"] == "Dataset"
    assert "doi" not in attributes and "prefix" not in attributes
    assert attributes["relatedIdentifiers"] == [
        {
            "relatedIdentifier": f"http://127.0.0.1:8000/downloads/releases/{first.name}/",
            "relatedIdentifierType": "URL",
            "relationType": "IsNewVersionOf",
        }
    ]
    assert attributes["sizes"][1] == f"{len(files) - 2} files"


def test_the_release_data_package_is_valid(catalogue, tmp_path):
    from frictionless import Package

    release = make_release(day=DAY)
    target = tmp_path / "unzipped"
    zipfile.ZipFile(release_folder(release.name) / archive_name(release.name)).extractall(target)
    package = Package(
        str(target / f"guidebook-release-{release.name}" / "data" / "datapackage.json")
    )
    report = package.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_the_release_map_is_the_map_of_its_snapshots(catalogue):
    release = make_release(day=DAY)
    data = json.loads(files_on_disk(release.name)["map/evidence-map-age-group.json"])
    assert data["release"] == "2026-03-02" and data["programmes"] == 2
    assert "catalogue_url" not in data["rows"][0]["cells"][0]


# --- The command ----------------------------------------------------------------------


def test_the_command_makes_a_release_with_notes_and_says_where(catalogue, capsys):
    call_command("release", "--notes", "From the command line")
    out = capsys.readouterr().out
    release = Release.objects.get()
    assert release.notes == "From the command line"
    assert out.startswith(
        f"Release {release.name}: 2 programme(s), {len(release.checksums)} files in "
    )


def test_the_command_checks_a_release(catalogue, capsys):
    release = make_release(day=DAY)
    call_command("release", "--check", release.name)
    assert (
        f"Release {release.name}: all {len(release.checksums)} files rebuilt byte for byte."
        in capsys.readouterr().out
    )


def test_the_command_refuses_with_a_clear_message(db):
    with pytest.raises(CommandError, match="Nothing is published yet"):
        call_command("release")
    with pytest.raises(
        CommandError,
        match=r"--check: expected the name of a release \(none yet\), found '2026-01-01'",
    ):
        call_command("release", "--check", "2026-01-01")


def test_the_fhir_bundles_in_a_release_validate(catalogue):
    from fhir.resources import get_fhir_model_class
    from fhir.resources.bundle import Bundle

    files = files_on_disk(make_release(day=DAY).name)
    bundles = [json.loads(data) for path, data in files.items() if path.startswith("fhir/")]
    assert len(bundles) == 2
    for bundle in bundles:
        Bundle.model_validate(bundle)
        for entry in bundle["entry"]:
            resource = entry["resource"]
            get_fhir_model_class(resource["resourceType"]).model_validate(resource)
