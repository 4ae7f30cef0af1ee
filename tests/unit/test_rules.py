"""The pure rules, without an app or a database: the base of the test pyramid."""

import math

import pytest

from directory.accounts.models import Role
from directory.consultations.models import ConsultationStatus, may_move
from directory.core.text import ANONYMOUS, fold, public_name
from directory.credentials.models import number_key
from directory.practitioners.rating_summary import bayesian_score, rating_summary
from directory.practitioners.search import KM_PER_DEGREE, bounding_box

Status = ConsultationStatus


def test_one_five_star_review_does_not_beat_forty_at_4_8():
    assert bayesian_score(1, 5) == pytest.approx(3.75)
    assert bayesian_score(40, 192) == pytest.approx(4.6556, abs=1e-4)
    assert bayesian_score(40, 192) > bayesian_score(1, 5)


def test_no_review_has_no_score():
    assert bayesian_score(0, 0) is None


def test_rating_summary_counts_every_star():
    summary = rating_summary({5: 2, 1: 1})
    assert summary["rating_count"] == 3 and summary["rating_sum"] == 11
    assert [summary[f"stars_{s}"] for s in range(1, 6)] == [1, 0, 0, 0, 2]


@pytest.mark.parametrize(
    ("full_name", "shown"),
    [
        ("Claire Fontaine", "Claire F."),
        ("Claire", "Claire"),
        ("  jean   de la fontaine ", "jean F."),
        ("   ", ANONYMOUS),
        ("\u3000", ANONYMOUS),
        ("", ANONYMOUS),
        ("\u202eevil\u202c Name", "evil N."),
        ("\u200b", ANONYMOUS),
        ("x" * 200 + " Y", "x" * 40 + " Y."),
        ("😀 Smile", "😀 S."),
    ],
)
def test_public_name_is_short_and_printable_for_any_name(full_name, shown):
    assert public_name(full_name) == shown
    assert len(public_name(full_name)) <= 80


def test_fold_ignores_case_accents_and_spacing():
    assert fold("Séance  Élan") == "seance elan"
    assert fold("MÜNCHEN") == "munchen"
    assert fold(None) == fold("") == ""


@pytest.mark.parametrize(
    ("party", "current", "new", "allowed"),
    [
        (Role.PRACTITIONER, Status.REQUESTED, Status.CONFIRMED, True),
        (Role.PRACTITIONER, Status.CONFIRMED, Status.COMPLETED, True),
        (Role.PRACTITIONER, Status.REQUESTED, Status.DECLINED, True),
        (Role.PRACTITIONER, Status.CONFIRMED, Status.DECLINED, True),
        (Role.PRACTITIONER, Status.REQUESTED, Status.COMPLETED, False),
        (Role.PRACTITIONER, Status.REQUESTED, Status.CANCELLED, False),
        (Role.PATIENT, Status.REQUESTED, Status.CANCELLED, True),
        (Role.PATIENT, Status.CONFIRMED, Status.CANCELLED, True),
        (Role.PATIENT, Status.REQUESTED, Status.CONFIRMED, False),
        (Role.PATIENT, Status.COMPLETED, Status.CANCELLED, False),
        (Role.ADMIN, Status.REQUESTED, Status.CONFIRMED, False),
    ],
)
def test_consultation_transitions(party, current, new, allowed):
    assert may_move(party, current, new) is allowed


def test_a_finished_consultation_never_moves():
    for party in Role:
        for new in Status:
            for done in (Status.COMPLETED, Status.DECLINED, Status.CANCELLED):
                assert not may_move(party, done, new)


def test_the_bounding_box_contains_the_circle():
    box = bounding_box(48.85, 2.35, 25)
    assert box.latitudes == pytest.approx((48.85 - 25 / KM_PER_DEGREE, 48.85 + 25 / KM_PER_DEGREE))
    west, east = box.longitudes
    # 25 km east along the parallel stays inside the box
    assert east - 2.35 >= 25 / (KM_PER_DEGREE * math.cos(math.radians(48.85)))
    assert 2.35 - west == pytest.approx(east - 2.35)


def test_the_bounding_box_spans_every_longitude_near_a_pole_or_the_antimeridian():
    assert bounding_box(89.9, 0, 50).longitudes is None
    assert bounding_box(0, 179.9, 50).longitudes is None


@pytest.mark.parametrize(
    "spelling", ["RPPS 1010-2020", "rpps10102020", " Rpps.1010/2020 ", "RPPS_1010_2020"]
)
def test_credential_numbers_compare_without_case_spaces_or_punctuation(spelling):
    assert number_key(spelling) == "RPPS10102020"


@pytest.mark.parametrize("blank", [None, "", " - "])
def test_a_blank_credential_number_is_no_number(blank):
    assert number_key(blank) is None
