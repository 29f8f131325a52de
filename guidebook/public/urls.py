from django.urls import path, re_path

from guidebook.public import (
    calculator,
    catalogue_views,
    compare_views,
    crosswalk_standards_views,
    crosswalk_views,
    download_views,
    map_views,
    methodology_views,
    pdf,
    release_views,
    shortlist,
    standards_views,
    views,
)

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("programmes/", catalogue_views.programme_list, name="programme_list"),
    path(
        "programmes/not-listed/",
        catalogue_views.programmes_not_listed,
        name="programmes_not_listed",
    ),
    # the standards pages, generated from the rules themselves
    path("standards/", standards_views.standards_index, name="standards_index"),
    path("standards.json", standards_views.standards_index_json, name="standards_index_json"),
    path("standards/cost/", standards_views.cost_standard, name="cost_standard"),
    path("standards/cost.json", standards_views.cost_standard_json, name="cost_standard_json"),
    path("standards/how-to-read/", standards_views.how_to_read, name="how_to_read"),
    path("standards/how-to-read.json", standards_views.how_to_read_json, name="how_to_read_json"),
    path(
        "standards/other/<str:key>/",
        crosswalk_standards_views.other_standard_detail,
        name="other_standard_detail",
    ),
    path(
        "standards/other/<str:key>.json",
        crosswalk_standards_views.other_standard_json,
        name="other_standard_json",
    ),
    path("standards/<slug:key>.json", standards_views.standard_json, name="standard_json"),
    path("standards/<slug:key>/", standards_views.standard_detail, name="standard_detail"),
    path("programmes/<slug:slug>.json", views.programme_json, name="programme_json"),
    path("programmes/<slug:slug>/", views.programme_detail, name="programme_detail"),
    path(
        "methodology/effect-sizes/",
        methodology_views.methodology_effect_sizes,
        name="methodology_effect_sizes",
    ),
    # compare, shortlist, PDFs, cost calculator, open data (helper "compare")
    path("programmes/<slug:slug>.pdf", pdf.programme_pdf, name="programme_pdf"),
    path("programmes/<slug:slug>/cost/", calculator.programme_cost, name="programme_cost"),
    path("compare/", compare_views.compare, name="compare"),
    path("crosswalk/", crosswalk_views.crosswalk_page, name="crosswalk"),
    path("crosswalk.csv", crosswalk_views.crosswalk_csv, name="crosswalk_csv"),
    path("compare.json", compare_views.compare_json, name="compare_json"),
    path("shortlist/", shortlist.shortlist_page, name="shortlist"),
    path("shortlist.csv", shortlist.shortlist_csv, name="shortlist_csv"),
    path("shortlist.pdf", shortlist.shortlist_pdf, name="shortlist_pdf"),
    path("shortlist/add/<slug:slug>/", shortlist.shortlist_add, name="shortlist_add"),
    path("shortlist/remove/<slug:slug>/", shortlist.shortlist_remove, name="shortlist_remove"),
    # the evidence and gap map (helper "map")
    path("map/", map_views.evidence_map_page, name="evidence_map"),
    path("map.json", map_views.evidence_map_json, name="evidence_map_json"),
    path("map.csv", map_views.evidence_map_csv, name="evidence_map_csv"),
    path("map.svg", map_views.evidence_map_svg, name="evidence_map_svg"),
    path("map/gaps/", map_views.evidence_gaps_page, name="evidence_gaps"),
    path("map/gaps.json", map_views.evidence_gaps_json, name="evidence_gaps_json"),
    # releases at permanent addresses (helper "map")
    path("downloads/releases/", release_views.releases_page, name="releases"),
    re_path(
        r"^downloads/releases/(?P<name>\d{4}-\d{2}-\d{2}(?:-\d+)?)/$",
        release_views.release_page,
        name="release_page",
    ),
    re_path(
        r"^downloads/releases/(?P<name>\d{4}-\d{2}-\d{2}(?:-\d+)?)/(?P<path>[A-Za-z0-9_./-]+)$",
        release_views.release_file_view,
        name="release_file",
    ),
    path("downloads/latest/", release_views.latest_release_redirect, name="latest_release"),
    path(
        "downloads/latest/<path:path>",
        release_views.latest_release_redirect,
        name="latest_release_file",
    ),
    path("downloads/", download_views.downloads_page, name="downloads"),
    path("downloads/datapackage.json", download_views.download_datapackage, name="datapackage"),
    path("downloads/guidebook-open-data.zip", download_views.download_zip, name="downloads_zip"),
    path("downloads/<slug:name>.csv", download_views.download_table, name="download_table"),
]
