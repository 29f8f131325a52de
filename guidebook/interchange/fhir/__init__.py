"""A published programme's evidence as an HL7 FHIR R5 Bundle of plain JSON.

One ``collection`` Bundle per programme (``docs/interchange.md`` gives the mapping and
what FHIR cannot carry):

- ``Citation``: one for each publication of each study (a study known only by its
  label gets one with that label), with authors, title, journal, volume, issue,
  pages, year, DOI, PubMed id and address;
- ``EvidenceVariable``: the programme (the exposure) and each child outcome measured;
- ``Evidence``: one for each child finding of each study (the outcome, the study's
  design, its level as the certainty, and the effect size with its confidence
  interval, standard error and p value when the statistics allow one), and one for
  the programme's body of evidence, composed of them;
- ``ArtifactAssessment``: the programme's evidence rating under its standard, with
  every rule checked as a component (met or not, and the values that decided it);
  an imported rating as a second, labelled rating; and each study's level with its
  reasons.

The exporter needs no FHIR library: the resources are dicts built here, written as
JSON with sorted keys. The tests check every Bundle with the ``fhir.resources``
package. Resource ids are UUIDs derived from the programme's slug and what the
resource stands for, so the same evidence gives the same Bundle, byte for byte.
"""

from guidebook.interchange.fhir.evidence_bundle import (
    FHIR_VERSION,
    evidence_bundle,
    evidence_bundle_json,
)

__all__ = ["FHIR_VERSION", "evidence_bundle", "evidence_bundle_json"]
