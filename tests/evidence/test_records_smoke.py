from guidebook.evidence.records import StudyLevel


def test_study_levels_are_ordered_by_rigour():
    ranks = [level.rank for level in StudyLevel]
    assert ranks == sorted(ranks)
