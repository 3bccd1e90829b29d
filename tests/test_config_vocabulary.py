"""The shared vocabulary: the 38 specialties, ordered stages, and hashtags that are never used."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from mentorbot.config.vocabulary import default_vocabulary_path, load_vocabulary
from mentorbot.domain.vocabulary import SPECIALTY_IDS, STAGE_IDS, is_case_sensitive, normalize_hashtag
from mentorbot.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
REPO_COPY = ROOT / "config" / "vocabulary.toml"
PACKAGED = ROOT / "mentorbot" / "data" / "vocabulary.toml"
TEXT = PACKAGED.read_text(encoding="utf-8")


def _broken(tmp_path: Path, edit: Callable[[str], str]) -> list[ConfigError]:
    path = tmp_path / "vocabulary.toml"
    path.write_text(edit(TEXT), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_vocabulary(path)
    return [caught.value, *getattr(caught.value, "problems", ())]


def _replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, f"the vocabulary no longer contains {old!r}"
        return text.replace(old, new, 1)
    return edit


class TestTheShippedVocabulary:
    def test_has_the_38_specialty_ids_exactly_once(self) -> None:
        """No more, no fewer, none twice."""
        ids = load_vocabulary().specialty_ids
        assert len(SPECIALTY_IDS) == 38 == len(set(SPECIALTY_IDS))
        assert sorted(ids) == sorted(SPECIALTY_IDS) and len(ids) == 38

    def test_repo_copy_is_identical_to_the_packaged_file(self) -> None:
        """config/vocabulary.toml mirrors mentorbot/data/vocabulary.toml byte for byte."""
        assert REPO_COPY.read_bytes() == PACKAGED.read_bytes()
        assert default_vocabulary_path().resolve() == PACKAGED.resolve()

    def test_stages_are_ordered_with_strictly_increasing_ranks(self) -> None:
        """premed < student < resident < fellow < attending < senior."""
        vocabulary = load_vocabulary()
        assert vocabulary.stage_ids == STAGE_IDS
        ranks = [s.rank for s in vocabulary.stages]
        assert all(a < b for a, b in zip(ranks, ranks[1:]))
        assert vocabulary.stage_gap("attending", "student") == 3

    def test_identity_hashtags_are_disjoint_from_specialty_hashtags(self) -> None:
        """No specialty hashtag is, or looks like, an identity hashtag."""
        vocabulary = load_vocabulary()
        for spec in vocabulary.specialties:
            for tag in spec.hashtags:
                assert not vocabulary.is_identity_hashtag(tag), (spec.id, tag)
                assert normalize_hashtag(tag) not in vocabulary.identity_hashtags
        assert not vocabulary.identity_hashtags & {normalize_hashtag(t) for s in vocabulary.specialties
                                                   for t in s.hashtags}

    @pytest.mark.parametrize("tag", ["#BlackMenInMedicine", "#WomenInMedicine", "#DocsWithDisabilities",
                                     "#FirstGenMed", "#LatinxInMedicine", "#LGBTQinMedicine",
                                     "#BlackWomenInMedicine", "#NativesInMedicine", "#IMG",
                                     "#DisabilityInMedicine", "#BlackInDerm", "#womenincardiology",
                                     "#LatinasInSurgery", "#MentalHealth"])
    def test_recognises_identity_hashtags_listed_or_not(self, tag: str) -> None:
        """Listed tags and new tags containing an identity word are both caught."""
        assert load_vocabulary().is_identity_hashtag(tag)

    @pytest.mark.parametrize("tag", ["#CardioTwitter", "#TransplantTwitter", "#MedEd", "#MedTwitter"])
    def test_ordinary_hashtags_are_not_identity_hashtags(self, tag: str) -> None:
        """Specialty and general hashtags (even 'Transplant') pass."""
        assert not load_vocabulary().is_identity_hashtag(tag)

    def test_medtwitter_is_general_not_a_specialty(self) -> None:
        """#MedTwitter names no specialty; #MedEd is medical education."""
        vocabulary = load_vocabulary()
        terms = vocabulary.specialty_terms()
        assert vocabulary.is_general_hashtag("#medtwitter") and "#MedTwitter" not in terms
        assert terms["#MedEd"] == ("medical_education",)

    def test_abbreviations_and_combined_terms_resolve(self) -> None:
        """cards, EM, ENT, peds resolve to one id; PCCM and heme/onc to two."""
        terms = load_vocabulary().specialty_terms()
        assert terms["cards"] == ("cardiology",) and terms["EM"] == ("emergency_medicine",)
        assert terms["ENT"] == ("otolaryngology",) and terms["peds"] == ("pediatrics",)
        assert terms["cardiología"] == ("cardiology",) and terms["cardiologia"] == ("cardiology",)
        assert terms["PCCM"] == ("pulmonology", "critical_care")
        assert terms["heme/onc"] == ("hematology", "oncology")

    def test_stage_words_cover_the_common_signals(self) -> None:
        """MS3 is a student, PGY2 and chief resident residents, MD alone only weakly an attending."""
        stages = load_vocabulary().stage_terms()
        assert stages["MS3"] == ("student", False) and stages["PGY2"] == ("resident", False)
        assert stages["chief resident"] == ("resident", False)
        assert stages["#premed"] == ("premed", False) and stages["estudante de medicina"] == ("student", False)
        assert stages["MD"] == ("attending", True) and stages["fellow"] == ("fellow", True)
        assert stages["professor titular"] == ("senior", False)

    def test_adjacency_follows_parents_and_related_in_either_direction(self) -> None:
        """Cardiology sits next to internal medicine; critical care next to pulmonology and anesthesia."""
        vocabulary = load_vocabulary()
        assert vocabulary.specialty("cardiology").parent == "internal_medicine"
        assert vocabulary.adjacent("cardiology", "internal_medicine")
        assert vocabulary.adjacent("internal_medicine", "cardiology")
        assert vocabulary.adjacent("critical_care", "pulmonology")
        assert vocabulary.adjacent("anesthesiology", "critical_care")
        assert not vocabulary.adjacent("cardiology", "nephrology")  # siblings
        assert not vocabulary.adjacent("cardiology", "cardiology")

    def test_capitalised_terms_are_case_sensitive(self) -> None:
        """'ID' and 'OB/GYN' must match as written; 'peds' in any case."""
        assert is_case_sensitive("ID") and is_case_sensitive("OB/GYN") and is_case_sensitive("PGY1")
        assert not is_case_sensitive("peds") and not is_case_sensitive("CT surgery")


class TestVocabularyMistakes:
    def test_a_synonym_claimed_by_two_specialties_names_both(self, tmp_path: Path) -> None:
        """'cardiologist' under nephrology is reported at nephrology, naming cardiology."""
        errors = _broken(tmp_path, _replace('    "nephrologist",', '    "nephrologist", "Cardiologist",'))
        error = next(e for e in errors if e.key == "specialties.nephrology.synonyms")
        assert "cardiology" in error.problem and "Cardiologist" in error.problem
        assert "one specialty" in error.fix

    def test_an_unknown_parent_is_reported_with_a_suggestion(self, tmp_path: Path) -> None:
        """parent = "internal_med" suggests internal_medicine."""
        errors = _broken(tmp_path, _replace('hashtags = ["CardioTwitter", "CardiologyTwitter", "Cardiology"]\n'
                                            'parent = "internal_medicine"',
                                            'hashtags = ["CardioTwitter", "CardiologyTwitter", "Cardiology"]\n'
                                            'parent = "internal_med"'))
        error = next(e for e in errors if e.key == "specialties.cardiology.parent")
        assert "internal_med" in error.problem and "internal_medicine" in error.fix

    def test_an_unknown_related_id_is_reported(self, tmp_path: Path) -> None:
        """related ids must be specialty ids too."""
        errors = _broken(tmp_path, _replace('related = ["pulmonology", "anesthesiology", "emergency_medicine"]',
                                            'related = ["pulmonology", "anaesthesia"]'))
        assert any(e.key == "specialties.critical_care.related" and "anaesthesia" in e.problem for e in errors)

    def test_an_extra_or_missing_specialty_is_reported(self, tmp_path: Path) -> None:
        """Renaming a section gives both an unknown id (with suggestion) and a missing one."""
        errors = _broken(tmp_path, _replace("[specialties.urology]", "[specialties.urologyy]"))
        keys = {e.key: e for e in errors}
        assert "did you mean 'urology'" in keys["specialties.urologyy"].problem
        assert "missing" in keys["specialties.urology"].problem

    def test_ranks_must_increase(self, tmp_path: Path) -> None:
        """A fellow ranked below a resident is refused."""
        errors = _broken(tmp_path, _replace("rank = 4", "rank = 2"))
        error = next(e for e in errors if e.key == "stages.fellow.rank")
        assert "increase" in error.problem and "above 3" in error.fix

    def test_an_identity_hashtag_cannot_be_a_specialty_hashtag(self, tmp_path: Path) -> None:
        """Adding #WomenInSurgery to general surgery is refused."""
        errors = _broken(tmp_path, _replace('hashtags = ["SurgTwitter",', 'hashtags = ["WomenInSurgery", "SurgTwitter",'))
        error = next(e for e in errors if e.key == "specialties.general_surgery.hashtags")
        assert "identity hashtag" in error.problem

    def test_a_parent_loop_is_reported(self, tmp_path: Path) -> None:
        """internal_medicine -> cardiology -> internal_medicine is a circle."""
        errors = _broken(tmp_path, _replace('hashtags = ["InternalMedicine", "IMTwitter"]',
                                            'hashtags = ["InternalMedicine", "IMTwitter"]\nparent = "cardiology"'))
        assert any("circle" in e.problem for e in errors)

    def test_a_combined_term_must_name_known_specialties(self, tmp_path: Path) -> None:
        """A typo in a combined term's ids is caught with a suggestion."""
        errors = _broken(tmp_path, _replace('"PCCM" = ["pulmonology", "critical_care"]',
                                            '"PCCM" = ["pulmonology", "critical_cares"]'))
        error = next(e for e in errors if e.key == 'combined."PCCM"')
        assert "critical_care" in error.fix

    def test_a_stage_word_in_two_stages_is_reported(self, tmp_path: Path) -> None:
        """'resident' listed as a fellow word too is refused."""
        errors = _broken(tmp_path, _replace('"clinical fellow", ', '"clinical fellow", "Resident", '))
        assert any(e.key == "stages.fellow.words" and "resident" in e.problem for e in errors)

    def test_a_toml_error_names_the_line(self, tmp_path: Path) -> None:
        """Broken TOML becomes a ConfigError at its line."""
        errors = _broken(tmp_path, _replace('label = "pre-med"', 'label = pre-med"'))
        line = TEXT[: TEXT.index('label = "pre-med"')].count("\n") + 1
        assert errors[0].key == f"line {line}" and errors[0].fix
