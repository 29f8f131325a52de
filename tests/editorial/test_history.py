"""Every edit is kept, and staff see who changed what, with a diff."""

from django.urls import reverse

from guidebook.catalogue.models import Programme


def test_an_edit_is_recorded_with_its_author_and_shown_as_a_diff(client, personas, ipp):
    editor = personas["editor"]
    client.force_login(editor)
    programme = Programme.objects.get(slug="infant-parent-psychotherapy")
    old_summary = programme.summary
    # The admin saves through the model, like every staff screen, so history records it.
    programme.summary = "A rewritten summary."
    programme._history_user = editor
    programme.save()
    page = client.get(reverse("editorial:history", args=[programme.slug]))
    assert page.status_code == 200
    change = page.context["changes"][0]
    assert (change.what, change.kind, change.who) == ("Programme", "changed", "editor")
    (field,) = change.fields
    assert field.field == "summary"
    assert field.new == "A rewritten summary."
    assert field.old == old_summary
    assert "A rewritten summary." in page.content.decode()


def test_a_request_records_the_signed_in_user_as_the_author(client, personas, make_round):
    from guidebook.editorial.models import State

    assessment = make_round(State.EVIDENCE_SEARCH)
    client.force_login(personas["assessor"])
    url = reverse("editorial:add_screening", args=[assessment.pk])
    client.post(
        url,
        {"citation": "Ng (2022)", "decision": "include", "reason": "RCT", "design": "rct"},
    )
    page = client.get(reverse("editorial:history", args=[assessment.programme.slug]))
    created = [c for c in page.context["changes"] if c.what == "Study" and c.kind == "created"]
    assert [c.who for c in created if "Ng (2022)" in c.item] == ["assessor"]


def test_providers_cannot_see_the_history(client, personas, ipp):
    client.force_login(personas["provider"])
    url = reverse("editorial:history", args=["infant-parent-psychotherapy"])
    assert client.get(url).status_code == 403


def test_an_edit_of_an_imported_row_shows_the_value_it_replaced(client, personas, ipp):
    from guidebook.catalogue.models import Finding

    finding = Finding.objects.filter(study__programme=ipp).first()
    old_measure = finding.measure
    finding.measure = "A new measure"
    finding.save()
    client.force_login(personas["assessor"])
    page = client.get(reverse("editorial:history", args=[ipp.slug]))
    change = page.context["changes"][0]
    assert (change.what, change.kind, change.who) == ("Finding", "changed", "(system)")
    (measure,) = change.fields
    assert (measure.field, measure.old, measure.new) == ("measure", old_measure, "A new measure")


def test_an_edit_of_a_row_stored_without_history_shows_every_value(client, personas):
    from guidebook.interchange.synthetic import store_synthetic_catalogue

    store_synthetic_catalogue(1, seed=1)
    programme = Programme.objects.get()
    programme.summary = "A new summary"
    programme.save()
    client.force_login(personas["assessor"])
    page = client.get(reverse("editorial:history", args=[programme.slug]))
    (change,) = page.context["changes"]
    assert (change.what, change.kind, change.who) == ("Programme", "changed", "(system)")
    summary = next(f for f in change.fields if f.field == "summary")
    assert (summary.old, summary.new) == ("(not recorded)", "A new summary")


def test_an_edit_of_a_finding_stored_without_history_is_shown(client, personas):
    """A study written in bulk has no history rows, yet edits to its findings show."""
    from guidebook.catalogue.models import Finding
    from guidebook.interchange.synthetic import store_synthetic_catalogue

    store_synthetic_catalogue(1, seed=1)
    programme = Programme.objects.get()
    finding = Finding.objects.filter(study__programme=programme).first()
    finding.measure = "A new measure"
    finding.save()
    client.force_login(personas["assessor"])
    page = client.get(reverse("editorial:history", args=[programme.slug]))
    (change,) = page.context["changes"]
    assert (change.what, change.kind) == ("Finding", "changed")
    measure = next(f for f in change.fields if f.field == "measure")
    assert measure.new == "A new measure"
