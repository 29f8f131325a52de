"""A synthetic catalogue of any size: for trying the site at scale and for benchmarks.

Every programme is built as core records (``guidebook.evidence.records``) from a plan:
first an intended rating, drawn so that the catalogue looks like a real guidebook
(mostly 3/3+ and 2/2+, a few 4/4+, some NL2 and NE), then the studies that rating
needs, then filler studies chosen so they cannot change it. Studies carry consensus
appraisals as criterion answers, never verdicts, so every rating is *computed* by the
standard; findings carry a direction and significance, and about a third of them
reported statistics that agree with it. Cost profiles are complete for three
programmes in four and miss a required input otherwise (cost rating NA).

Each programme draws from its own random stream, seeded by the catalogue seed and its
number, so programme 12 of seed 7 is the same whatever the catalogue's size. Names say
plainly that nothing here is real: "Synthetic programme 0012".

``store_synthetic_catalogue`` writes the rows with the bulk inserts an import uses
(without edit history unless asked, for speed) and publishes them in the same
transaction through ``publishing.write_snapshots``, so a synthetic snapshot is the
same as one ``publish`` would write.

The package: ``tables`` (what is drawn from), ``generate`` (records, no database) and
``storage`` (bulk inserts and publication).
"""

from guidebook.interchange.synthetic.generate import (
    SyntheticProgramme,
    synthetic_programme,
    synthetic_programmes,
)
from guidebook.interchange.synthetic.storage import StoredCatalogue, store_synthetic_catalogue
from guidebook.interchange.synthetic.tables import RATING_MIX

__all__ = [
    "RATING_MIX",
    "StoredCatalogue",
    "SyntheticProgramme",
    "store_synthetic_catalogue",
    "synthetic_programme",
    "synthetic_programmes",
]
