"""The classifier: what a post to the bot means and who wrote it, without inferring who they are.

tests/data/labelled_posts.jsonl holds posts labelled by hand (one JSON object a line: id, text,
bio, context, intent, role, stage, specialties, capacity, checkin, note). Rows p001-p227 were
written first; p228-p333 were written in three batches before the classifier had seen them.
"""
from __future__ import annotations

import json
import random
import re
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorbot.config.classifier import build_classifier
from mentorbot.config.vocabulary import load_vocabulary
from mentorbot.domain.classify import CONTEXTS, INTENTS, Classification, Classifier
from mentorbot.domain.vocabulary import SPECIALTY_IDS, STAGE_IDS

VOCABULARY = load_vocabulary()
CLASSIFIER = build_classifier(VOCABULARY)  # the bot's: phrase rules, then the learned reading
RULES = Classifier(VOCABULARY)  # the phrase rules alone
LABELLED = Path(__file__).resolve().parent / "data" / "labelled_posts.jsonl"
HELD_OUT = Path(__file__).resolve().parent / "data" / "heldout_posts.jsonl"
ROWS = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line.strip()]
TODAY = date(2026, 10, 1)
BOT = "@MedMentorBot #MedMentorMatch "


def classify(text: str, bio: str = "", **kwargs) -> Classification:
    return CLASSIFIER.classify(text, bio, **kwargs)


def _accuracy(rows: list[dict], classifier: Classifier = CLASSIFIER) -> tuple[dict[str, float], list[str], int]:
    """Intent, role (on joins), stage and specialty micro-F1 over labelled rows; the ids of rows
    with a miss; the number of joins. Posts are read as the intake reads them: with the bot's
    handle (a command must be addressed to the bot) and in their reply context."""
    intent_ok = role_ok = joins = stage_ok = tp = fp = fn = 0
    misses = []
    for row in rows:
        got = classifier.classify(row["text"], row["bio"], context=row["context"], today=TODAY, bot_handle="MedMentorBot")
        intent_ok += got.intent == row["intent"]
        if row["intent"] == "join":
            joins += 1
            role_ok += got.role == row["role"]
        stage_ok += got.stage == row["stage"]
        found, expected = set(got.specialties), set(row["specialties"])
        tp, fp, fn = tp + len(found & expected), fp + len(found - expected), fn + len(expected - found)
        if (got.intent, got.stage, found) != (row["intent"], row["stage"], expected):
            misses.append(row["id"])
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    figures = {"intent": intent_ok / len(rows), "role": role_ok / joins, "stage": stage_ok / len(rows),
               "specialty_f1": 2 * precision * recall / (precision + recall)}
    return figures, misses, joins


def _report(name: str, rows: list[dict], figures: dict[str, float], misses: list[str], joins: int) -> None:
    print(f"\n{name}: {len(rows)} ({joins} joins); "
          + ", ".join(f"{key} {value:.3f}" for key, value in figures.items())
          + f"; rows with a miss: {misses}")


class TestAccuracyOnTheLabelledSet:
    """The labelled set is two things. The first 623 rows (p*, written by hand, and h*, b*, c*,
    the first three blind batches) are the rows the phrase rules were shaped on. Rows d*, e*, f*,
    g*, k*, m*, n*, j*, s* (blind batches four to twelve, each measured once as the held-out set
    before it moved in), a* (the fifteenth, a batch of traps, measured once) and t*, u*, v*, w*, x*, y*, z*, q* (1,850 posts written in US, global and
    Spanish/Portuguese voices) were written blind to the rules; they train the learned reading,
    and since 2026-12-05 the cross-validation lists of benchmarks/intent_cv.py, run on them, have
    shown which rules and gates to change. The issue's thresholds (intent >= 0.97, role >= 0.95,
    stage >= 0.90, specialty micro-F1 >= 0.92) hold on the first part and on the whole set; the
    held-out test below measures them on posts never trained or tuned on."""

    def test_meets_the_stated_thresholds_on_the_rows_the_rules_were_shaped_on(self) -> None:
        """intent >= 0.97, role >= 0.95 on joins, stage >= 0.90, specialty micro-F1 >= 0.92."""
        shaped = ROWS[:623]
        assert {row["id"][0] for row in shaped} == {"p", "h", "b", "c"}
        figures, misses, joins = _accuracy(shaped)
        _report("labelled posts the rules were shaped on", shaped, figures, misses, joins)
        assert figures["intent"] >= 0.97
        assert figures["role"] >= 0.95
        assert figures["stage"] >= 0.90
        assert figures["specialty_f1"] >= 0.92

    def test_holds_the_measured_level_on_the_whole_set(self) -> None:
        """Measured 2026-12-05 on 3,883 rows (training data for the learned reading): intent
        0.980, role 0.985, stage 0.942, F1 0.972."""
        figures, misses, joins = _accuracy(ROWS)
        _report("labelled posts", ROWS, figures, misses, joins)
        assert len(ROWS) >= 3850
        assert figures["intent"] >= 0.97
        assert figures["role"] >= 0.95
        assert figures["stage"] >= 0.93
        assert figures["specialty_f1"] >= 0.96

    def test_capacity_and_checkin_answers_match_their_labels(self) -> None:
        """The numbers offered and the check-in answers are read exactly: every one in the rows
        the rules were shaped on (p*), and at least 90% in the blind batches moved in since
        (d*, e*: "2 slots", "can do 2" and "puedo con 4" are not read yet)."""
        blind = {"numbers": [0, 0], "answers": [0, 0]}
        for row in ROWS:
            got = CLASSIFIER.classify(row["text"], row["bio"], context=row["context"], today=TODAY,
                                      bot_handle="MedMentorBot")
            checks = []
            if row["intent"] in ("join", "capacity") and got.intent == row["intent"]:
                checks.append(("numbers", got.capacity == row["capacity"]))
            if row["intent"] == "checkin":
                checks.append(("answers", got.checkin == row["checkin"]))
            for kind, ok in checks:
                if row["id"].startswith("p"):
                    assert ok, row["id"]
                else:
                    blind[kind][0] += ok
                    blind[kind][1] += 1
        for kind, (ok, total) in blind.items():
            assert total >= 10 and ok / total >= 0.9, (kind, ok, total)


class TestAccuracyOnTheHeldOutSet:
    """tests/data/heldout_posts.jsonl: 300 posts written blind to the classifier (their authors
    saw neither its code nor the labelled set) and never trained or tuned on. It measures how the
    classifier does on posts it was not shaped by. Do not tune on these rows: when the classifier
    changes, have someone write a new blind batch, and move this one into the labelled set.

    These are the thirteenth (r001-r150: UK, Ireland, Australia, India, Nigeria and the US; half
    of them quick replies to the bot; hard chatter in command words) and fourteenth (o001-o150:
    US and Canada, a fifth Spanish and Portuguese; many mentors offering in their own words)
    blind batches, measured once, on 2026-12-05, with the classifier trained on 3,433 labelled
    posts: intent 0.977 (0.967 and 0.987; 0.950 with the classifier of the morning, 0.800 with
    the rules alone), role on joins 0.969 (0.898 in the morning), stage 0.937, specialty micro-F1
    0.972. With batches eleven and twelve (held out before them; 0.950 when measured once) moved
    into training, they read the same; with the fifteenth too (150 traps: opt-outs asked as
    questions, command words in chatter, wins told with others; 0.947 when measured once, as the
    morning's classifier), intent 0.973. Earlier batches, each measured once: the eighth 0.893, the
    ninth 0.947, the tenth 0.907. This test guards the measured level; raise it as it improves.
    """

    @pytest.mark.skipif(not HELD_OUT.exists(), reason="no blind held-out batch in tests/data yet: the last one was moved into the labelled set")
    def test_holds_the_measured_level(self) -> None:
        rows = [json.loads(line) for line in HELD_OUT.read_text(encoding="utf-8").splitlines() if line.strip()]
        figures, misses, joins = _accuracy(rows)
        _report("held-out posts", rows, figures, misses, joins)
        rules, _, _ = _accuracy(rows, RULES)
        _report("held-out posts, rules alone", rows, rules, [], joins)
        assert len(rows) >= 300
        assert figures["intent"] >= 0.97
        assert figures["role"] >= 0.95
        assert figures["stage"] >= 0.92
        assert figures["specialty_f1"] >= 0.95
        assert figures["intent"] - rules["intent"] >= 0.15  # the learned reading's worth, measured (0.177)


class TestTheLabelledSet:
    def test_covers_every_intent_stage_role_and_many_specialties(self) -> None:
        """At least 180 rows; each intent, stage and role; 30+ specialties; all contexts."""
        assert len(ROWS) >= 180
        assert len({row["id"] for row in ROWS}) == len(ROWS)
        assert {row["intent"] for row in ROWS} == set(INTENTS)
        assert {row["stage"] for row in ROWS} == {*STAGE_IDS, None}
        assert {row["role"] for row in ROWS if row["intent"] == "join"} == {"mentor", "mentee"}
        assert {row["context"] for row in ROWS} == set(CONTEXTS)
        assert len({s for row in ROWS for s in row["specialties"]}) >= 30
        assert all(set(row["specialties"]) <= set(SPECIALTY_IDS) for row in ROWS)

    def test_has_spanish_portuguese_emoji_uppercase_and_empty_bios(self) -> None:
        """The hard cases are represented."""
        texts = [row["text"] for row in ROWS]
        assert sum("busco" in t.lower() or "necesito" in t.lower() for t in texts) >= 3
        assert sum("procuro" in t.lower() or "quero" in t.lower() for t in texts) >= 3
        assert sum(any(ord(c) > 0x1F000 for c in t) for t in texts) >= 10
        assert sum(t.split(" ", 1)[-1].isupper() for t in texts) >= 3
        assert sum(row["bio"] == "" for row in ROWS) >= 20


class TestCommands:
    @pytest.mark.parametrize(("text", "intent"), [
        ("@MedMentorBot STOP", "stop"), ("@MedMentorBot stop please", "stop"),
        ("@MedMentorBot unsubscribe", "stop"), ("@MedMentorBot opt out", "stop"),
        ("@MedMentorBot salir", "stop"), ("@MedMentorBot sair", "stop"), ("@MedMentorBot cancelar", "stop"),
        ("@MedMentorBot parar", "stop"), ("@MedMentorBot I want to leave the program", "stop"),
        ("@MedMentorBot pause", "pause"), ("@MedMentorBot pausa", "pause"), ("@MedMentorBot pausar", "pause"),
        ("@MedMentorBot resume", "resume"), ("@MedMentorBot unpause", "resume"),
        ("@MedMentorBot I'm back", "resume"), ("@MedMentorBot reanudar", "resume"),
        ("@MedMentorBot retomar", "resume"), ("@MedMentorBot voltar", "resume"),
        ("@MedMentorBot delete my data", "delete"), ("@MedMentorBot forget me", "delete"),
        ("@MedMentorBot borrar mis datos", "delete"), ("@MedMentorBot apagar meus dados", "delete"),
        ("@MedMentorBot help", "help"), ("@MedMentorBot commands", "help"), ("@MedMentorBot ayuda", "help"),
        ("@MedMentorBot ajuda", "help"), ("@MedMentorBot ?", "help"),
        ("@MedMentorBot status", "status"), ("@MedMentorBot what do you know about me?", "status"),
        ("@MedMentorBot estado", "status"),
        ("@MedMentorBot capacity 3", "capacity"), ("@MedMentorBot I can take 3 mentees now", "capacity"),
        ("@MedMentorBot no shout-outs", "no_shoutouts"), ("@MedMentorBot don't feature me", "no_shoutouts"),
    ])
    def test_short_commands_in_three_languages(self, text: str, intent: str) -> None:
        """Each command word, alone or nearly, is that command."""
        assert classify(text).intent == intent

    @pytest.mark.parametrize(("text", "intent"), [
        ("please erase everything you have about me and forget I was here", "delete"),
        ("please wipe all my info", "delete"), ("apague todos os meus dados, por favor", "delete"),
        ("borra todo lo que tienes de mí", "delete"), ("elimina toda mi información", "delete"),
        ("what do you have on file for me? and who's my mentor?", "status"),
        ("who are my mentees?", "status"), ("¿quién es mi mentor?", "status"),
        ("quem é meu mentor?", "status"),
        ("sorry, I have to decline this match, conflict of interest", "decline"),
        ("rechazo este match, gracias", "decline"),
        ("please don't share or retweet my posts, I'd rather keep it low-key", "no_shoutouts"),
        ("stop tagging me please", "no_shoutouts"), ("no me etiqueten por favor", "no_shoutouts"),
        ("para de compartilhar meus posts", "no_shoutouts"),
        ("actually I'm a fellow now, not a resident, started heme/onc fellowship", "correct"),
        ("correction: I'm in cardiology, not GI", "correct"), ("ahora soy residente de pediatría", "correct"),
        ("agora sou residente de cardiologia", "correct"),
    ])
    def test_commands_in_ones_own_words(self, text: str, intent: str) -> None:
        """Paraphrases: a verb with its object, a question, a correction stating a stage or field."""
        assert classify(BOT + text).intent == intent

    @pytest.mark.parametrize("text", [
        "remember to clear everything off your desk", "Guess who is my mentor now, so lucky",
        "feel free to share my posts!", "actually the poster session was great",
        "don't delete my data, it's fine",
    ])
    def test_command_words_in_other_senses(self, text: str) -> None:
        """No object that is the author's data, no question, no refusal, nothing to correct."""
        assert classify(BOT + text).intent == "none"

    def test_a_habit_is_not_a_refusal(self) -> None:
        """'I don't share my posts much' is not 'don't share my posts'."""
        assert classify(BOT + "I don't share my posts much, looking for a mentor").intent == "join"

    def test_uppercase_works(self) -> None:
        """Shouting changes nothing."""
        assert classify("@MedMentorBot DELETE MY DATA").intent == "delete"
        assert classify("@MedMentorBot PAUSE").intent == "pause"

    def test_a_command_word_must_dominate_the_post(self) -> None:
        """Ordinary sentences that contain a command word are not commands."""
        assert classify("I stopped by the poster hall").intent == "none"
        assert classify("Stop by our booth at #AAMC25!").intent == "none"
        assert classify("Help me understand why prior auths still exist").intent == "none"
        assert classify("Pause for a moment and appreciate your nurses today").intent == "none"

    def test_a_win_with_a_command_word_is_a_win(self) -> None:
        """'can't stop smiling, matched into EM!' is an achievement, and EM is read."""
        got = classify("can't stop smiling, matched into EM!", "MS4")
        assert got.intent == "achievement"
        assert got.specialties == ("emergency_medicine",)

    def test_a_negated_command_is_no_command(self) -> None:
        """'please don't stop' keeps the person in."""
        assert classify("@MedMentorBot please don't stop").intent == "none"

    def test_leave_as_a_noun_is_not_leaving(self) -> None:
        """On leave means a pause; back from leave means resume."""
        assert classify("@MedMentorBot on maternity leave until April, please pause").intent == "pause"
        assert classify("@MedMentorBot I'm back from leave").intent == "resume"


class TestPauseDates:
    @pytest.mark.parametrize(("text", "today", "expected"), [
        ("pause until January 15", date(2026, 10, 1), date(2027, 1, 15)),
        ("pause until Jan 15th", date(2027, 1, 10), date(2027, 1, 15)),
        ("pause until Jan 15", date(2027, 1, 15), date(2027, 1, 15)),
        ("pause until 15 January", date(2026, 10, 1), date(2027, 1, 15)),
        ("pausa hasta el 15 de enero", date(2026, 10, 1), date(2027, 1, 15)),
        ("pausar até 10 de março", date(2026, 10, 1), date(2027, 3, 10)),
        ("pause until 3/1", date(2026, 10, 1), date(2027, 3, 1)),
        ("pausa hasta 3/1", date(2026, 10, 1), date(2027, 1, 3)),
        ("pause until 2027-02-01", None, date(2027, 2, 1)),
        ("pause for 2 weeks", date(2026, 10, 1), date(2026, 10, 15)),
        ("pause me for a month please", date(2026, 1, 31), date(2026, 2, 28)),
        ("pause until March", date(2026, 10, 1), date(2027, 3, 1)),
    ])
    def test_reads_the_date_and_chooses_the_next_occurrence(self, text: str, today: date | None,
                                                            expected: date) -> None:
        """Month names in three languages, numbers (m/d in English, d/m in es/pt), durations."""
        got = classify("@MedMentorBot " + text, today=today)
        assert got.intent == "pause"
        assert got.pause_until == expected

    def test_without_today_a_date_without_a_year_stays_unknown(self) -> None:
        """Domain code has no clock: the caller must pass today."""
        got = classify("@MedMentorBot pause until Jan 15")
        assert (got.intent, got.pause_until) == ("pause", None)

    def test_an_impossible_date_is_none(self) -> None:
        """February 30 is not a date; the pause still counts."""
        got = classify("@MedMentorBot pause until Feb 30", today=TODAY)
        assert (got.intent, got.pause_until) == ("pause", None)


class TestJoining:
    @pytest.mark.parametrize("text", [
        "looking for a mentor", "mentor me", "sign me up", "count me in", "I'm in", "busco mentor",
        "procuro mentor", "necesito una mentora", "preciso de um mentor", "would love a mentor",
        "lookin for a mentr in ENT",
    ])
    def test_join_phrases(self, text: str) -> None:
        """Seeking and neutral phrases, with typos, in three languages."""
        assert classify(BOT + text).intent == "join"

    @pytest.mark.parametrize("text", [
        "happy to mentor", "I'd love to mentor", "quiero ser mentor", "quero ser mentora",
        "willing to mentor", "I can take 2 mentees in cardiology",
    ])
    def test_offers_make_a_mentor_whatever_the_stage(self, text: str) -> None:
        """Explicit mentor words win over the stage."""
        got = classify(BOT + text, "MS4")
        assert (got.intent, got.role) == ("join", "mentor")

    def test_not_looking_and_having_a_mentor_are_no_joins(self) -> None:
        """Negation and possession."""
        assert classify("@MedMentorBot not looking for a mentor right now").intent == "none"
        assert classify("my mentor is amazing").intent == "none"
        assert classify("So lucky to have a mentor like @drjones").intent == "none"

    @pytest.mark.parametrize("text", [
        "I'm a PGY-1 gen surg resident looking for a mentor", "MS4, future EM resident, looking for a mentor",
        "MS2 student seeking a mentor in peds", "Residente de pediatría buscando mentor",
    ])
    def test_the_author_describing_themselves_before_a_request_still_joins(self, text: str) -> None:
        """A role noun before 'looking for a mentor' is the author's own role."""
        got = classify(BOT + text)
        assert (got.intent, got.role) == ("join", "mentee")

    @pytest.mark.parametrize("text", [
        "my resident is looking for a mentor in GI", "any student looking for a mentor? DM me",
        "our mentee needs a mentor in research too",
    ])
    def test_someone_elses_request_is_no_join(self, text: str) -> None:
        """'my resident is looking for a mentor' is about someone else."""
        assert classify(BOT + text).intent == "none"

    def test_a_question_to_the_world_is_not_a_request(self) -> None:
        """'Looking for a mentor? Join us!' is an advertisement."""
        assert classify("Looking for a mentor? Join #MedMentorMatch!").intent == "none"

    def test_role_from_the_stage_when_the_words_do_not_say(self) -> None:
        """Fellows and above mentor, below mentee; unknown stage and no words -> mentee."""
        assert classify("I'm in", "Cardiology fellow", context="call").role == "mentor"
        assert classify("I'm in", "Associate Professor of Medicine", context="call").role == "mentor"
        assert classify("I'm in", "PGY-2 IM", context="call").role == "mentee"
        assert classify("sign me up", "premed").role == "mentee"
        assert classify("sign me up", "").role == "mentee"

    def test_a_fellow_asking_for_a_mentor_is_a_mentee(self) -> None:
        """Seeking words win over the stage."""
        got = classify(BOT + "need a mentor for the job search", "Cardiology fellow")
        assert (got.intent, got.role, got.stage) == ("join", "mentee", "fellow")

    def test_capacity_is_read_from_the_offer(self) -> None:
        """'happy to take 2', '2 mentees max', '1-2 mentees' (the larger), number words."""
        assert classify("I'm in, happy to take 2 mentees", "GI attending", context="call").capacity == 2
        assert classify(BOT + "Would love to mentor! 2 mentees max", "Urologist").capacity == 2
        assert classify("I'm in! Happy to take 1-2 mentees", "EM attending", context="call").capacity == 2
        assert classify(BOT + "happy to mentor two students", "Surgeon").capacity == 2
        assert classify(BOT + "quiero ser mentor, puedo recibir 3 mentorados").capacity == 3

    def test_numbers_that_are_not_capacities(self) -> None:
        """PGY-3, Step 1 and years are not mentee counts."""
        assert classify(BOT + "happy to mentor, PGY-3 resident here", "").capacity is None
        assert classify(BOT + "happy to mentor, 10 years in practice", "").capacity is None


class TestStage:
    @pytest.mark.parametrize(("bio", "stage"), [
        ("former nurse, now MS1", "student"), ("MS4, future EM resident", "student"),
        ("Assoc Prof, program director", "senior"), ("PGY-3", "resident"),
        ("chief resident, internal medicine", "resident"), ("Cardiology fellow", "fellow"),
        ("Assistant Professor of Medicine", "attending"), ("Professor of Surgery", "senior"),
        ("pre-med | MCAT szn", "premed"), ("Estudiante de medicina", "student"),
        ("Residente de pediatría", "resident"), ("Médica cardiologista", "attending"),
        ("MD", None), ("Fellow runner and dog lover", None), ("", None),
        ("My attending is the best", None), ("Daughter of a surgeon", None),
        ("MS4 | residency interviews", "student"),
    ])
    def test_the_most_specific_and_most_recent_wins(self, bio: str, stage: str | None) -> None:
        """Past, future and other people's stages do not count; weak words need a second sign."""
        assert classify("hello", bio).stage == stage

    @pytest.mark.parametrize(("bio", "stage"), [
        ("Cardiothoracic surgeon | @ClevelandClinic", "attending"), ("Endocrinologist", "attending"),
        ("Pediatric hospitalist. Med-peds trained.", "attending"), ("Psiquiatra | CDMX", "attending"),
        ("Intensivist, nocturnist", "attending"), ("Neurologist in training", None),
        ("aspiring cardiologist", None), ("PGY-2 | future gastroenterologist", "resident"),
        ("Geriatrician | clinical fellow", "fellow"), ("Surgeons are the best", None),
    ])
    def test_a_practitioner_noun_means_a_practising_physician(self, bio: str, stage: str | None) -> None:
        """'Geriatrician' with no trainee stage is an attending; any stated stage wins."""
        assert classify("hello", bio).stage == stage

    def test_a_practitioner_noun_in_a_post_counts_only_about_the_author(self) -> None:
        """'I'm a pulmonologist' is the author; 'my cardiologist' and the mentor sought are not."""
        assert classify(BOT + "I'm a pulmonologist, happy to mentor").stage == "attending"
        assert classify(BOT + "Hospitalist here, count me in").stage == "attending"
        assert classify(BOT + "my cardiologist is great").stage is None
        assert classify(BOT + "looking for a mentor who is a cardiologist", "MS2").stage == "student"

    def test_a_bare_reply_from_a_practitioner_mentors(self) -> None:
        """'I'm in' from 'ENT surgeon' joins as a mentor."""
        got = classify(BOT + "I'm in", "ENT surgeon", context="call")
        assert (got.intent, got.role, got.stage) == ("join", "mentor", "attending")

    @pytest.mark.parametrize("bio", ["ms1 | coffee + dogs", "MS-3 at Emory", "Ms2", "oms4"])
    def test_student_years_in_any_capitalisation(self, bio: str) -> None:
        """'ms1' is as much a student as 'MS1'."""
        assert classify("hello", bio).stage == "student"

    def test_an_emoji_ends_the_description_of_the_mentor_sought(self) -> None:
        """'Looking for a mentor 🙋 MS3, ...': MS3 is the author, not the mentor."""
        assert classify(BOT + "Looking for a mentor 🙋🏾‍♀️ MS3, leaning cards", "M3").stage == "student"

    def test_the_post_beats_the_bio(self) -> None:
        """A stage stated in the post wins over the bio."""
        assert classify(BOT + "PGY-1 now, looking for a mentor", "MS4 | future IM").stage == "resident"

    def test_the_mentor_sought_is_not_the_author(self) -> None:
        """'looking for an attending mentor' says nothing about the author's stage."""
        assert classify(BOT + "looking for an attending mentor in surgery", "MS3").stage == "student"
        assert classify(BOT + "looking for an attending mentor in surgery", "").stage is None


class TestSpecialties:
    @pytest.mark.parametrize(("text", "expected"), [
        ("looking for a cards mentor", ("cardiology",)), ("peds!", ("pediatrics",)),
        ("rads or IR", ("radiology",)), ("heme/onc please", ("hematology", "oncology")),
        ("PCCM", ("critical_care", "pulmonology")), ("ENT", ("otolaryngology",)),
        ("ortho", ("orthopaedic_surgery",)), ("#MedEd", ("medical_education",)),
        ("future cardiologist", ("cardiology",)), ("aspiring surgeon", ("general_surgery",)),
        ("cardiología", ("cardiology",)), ("cardiologia", ("cardiology",)),
        ("CARDIOLOGÍA", ("cardiology",)), ("interested in EM", ("emergency_medicine",)),
        ("interested in ID", ("infectious_disease",)), ("#CardioTwitter", ("cardiology",)),
    ])
    def test_synonyms_abbreviations_and_hashtags(self, text: str, expected: tuple[str, ...]) -> None:
        """Case-insensitive words, capitals-only abbreviations, accents folded."""
        assert classify(BOT + text).specialties == expected

    @pytest.mark.parametrize("text", [
        "Can't find my ID card anywhere", "procuro mentor em geral", "Making Anki cards all weekend",
        "IM injection given", "em breve", "I'm in", "#WomenInCardiology", "#BlackInDerm rocks",
    ])
    def test_words_that_only_look_like_specialties(self, text: str) -> None:
        """'ID card', Portuguese 'em', Anki cards, IM injections, community hashtags."""
        assert classify(text).specialties == ()

    @pytest.mark.parametrize(("text", "bio", "expected"), [
        ("hello", "Former ICU nurse, now MS1", ()), ("hello", "ex-nurse; I was an ICU nurse", ()),
        (BOT + "I NEED A MENTOR, MS3 ON MY SURGERY ROTATION AND THINKING ABOUT UROLOGY", "", ("urology",)),
        ("hello", "MS3 | peds clerkship", ()),
        (BOT + "happy to mentor IM residents thinking about cardiology", "", ("cardiology",)),
        ("hello", "Otolaryngologist – Head & Neck Surgery", ("otolaryngology",)),
        ("hello", "Vascular surgeon and associate professor of surgery", ("vascular_surgery",)),
        ("hello", "Surgery resident interested in plastics", ("general_surgery", "plastic_surgery")),
    ])
    def test_fields_that_are_not_the_authors(self, text: str, bio: str, expected: tuple[str, ...]) -> None:
        """Past jobs, rotations, the mentees' field and a department name are not the author's field."""
        assert classify(text, bio).specialties == expected

    def test_a_shouted_portuguese_post_does_not_become_emergency_medicine(self) -> None:
        """In capitals, 'EM' counts only when nothing else names a specialty."""
        assert classify(BOT + "PROCURO MENTOR EM NEUROLOGIA").specialties == ("neurology",)
        assert classify(BOT + "LOOKING FOR AN EM MENTOR, MS2 HERE").specialties == ("emergency_medicine",)


IDENTITY_TAGS = sorted(VOCABULARY.identity_hashtags) + ["blackinderm", "latinasinsurgery", "queerincardiology"]


class TestIdentityIsNeverUsed:
    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(tag=st.sampled_from(IDENTITY_TAGS),
           before=st.lists(st.sampled_from(["MS3", "cardiology fellow", "|", "she/her", "prefer",
                                            "a mentor", "attending", "🩺", "Professor", "EM"]), max_size=5),
           after=st.lists(st.sampled_from(["peds", "I'm in", "surgery", ",", "PGY-2", "#MedEd"]), max_size=4),
           style=st.sampled_from(["#{}", "#{}!", "{}"]))
    def test_identity_hashtags_change_nothing_and_appear_nowhere(self, tag: str, before: list[str],
                                                                 after: list[str], style: str) -> None:
        """A bio or post with an identity hashtag (or its name alone) reads exactly as without it."""
        written = "#" + tag.upper() if style == "#{}!" else style.format(tag)
        bio = " ".join([*before, written, *after])
        plain = " ".join([*before, *after])
        for kwargs in ({"context": "call"}, {"allow_preference": True}):
            got = classify(bio, bio, **kwargs)
            if written.startswith("#") or tag in VOCABULARY.identity_hashtags:
                assert got == classify(plain, plain, **kwargs)  # dropped before reading
            fields = [got.intent, got.role, got.stage, *got.specialties, got.preference, *got.evidence]
            pattern = re.compile(r"(?<![a-z0-9])" + re.escape(tag.casefold()) + r"(?![a-z0-9])")
            assert not any(pattern.search(str(f).casefold()) for f in fields if f)

    def test_community_hashtags_are_not_specialties(self) -> None:
        """#WomenInSurgery is not general surgery; #BlackMenInMedicine is not internal medicine."""
        got = classify(BOT + "looking for a mentor #WomenInSurgery #BlackMenInMedicine",
                       "MS3 | #ILookLikeASurgeon #FirstGenMed")
        assert got.specialties == ()
        assert not any("surgeon" in e.casefold() or "women" in e.casefold() for e in got.evidence)


class TestPreference:
    def test_only_when_allowed_and_only_as_stated(self) -> None:
        """The person's own words, verbatim; never without allow_preference."""
        text = BOT + "MS2 looking for a mentor. I'd prefer a woman mentor, ideally in surgery"
        assert classify(text).preference is None
        assert classify(text, allow_preference=True).preference == "prefer a woman mentor"
        assert classify(BOT + "prefiero mentora", allow_preference=True).preference == "prefiero mentora"

    def test_no_statement_no_preference(self) -> None:
        """'no preference' states none, and nothing is inferred from a bio."""
        assert classify(BOT + "looking for a mentor, no preference", allow_preference=True).preference is None
        assert classify(BOT + "looking for a mentor", "Black woman in medicine | she/her",
                        allow_preference=True).preference is None


class TestWhatTheFirstBlindBatchTaught:
    """Causes of the misses on the second blind batch (b001-b100), each in a general form."""

    @pytest.mark.parametrize(("text", "bio", "stage"), [
        ("looking for a mentor! PGY-2 IM, seriously thinking about renal fellowship", "", "resident"),
        ("looking for a mentor, PGY-3, considering a GI fellowship", "", "resident"),
        ("cards fellow (PGY-5) looking for a mentor in EP", "", "fellow"),
        ("pulm fellow, PGY-6, need a mentor", "", "fellow"),
        ("I'm in", "Family doc. Rural health.", "attending"),
        ("capacidad: 2 mentorados", "Gastroenteróloga | Profesora de Medicina", "senior"),
        ("I'm in", "Estudiante de 4º año | Medellín", "student"),
        ("I'm in", "2nd yr student | UCLA", "student"),
        ("actually I'm a PGY-1, not a fellow", "", "resident"),
        ("I'm in", "Residente no Hospital das Clínicas, cardiologia", "resident"),
    ])
    def test_stage_words_are_weighed_in_their_context(self, text: str, bio: str, stage: str) -> None:
        """A future fellowship is not a stage; a specialty or a year of study makes a trainee title one."""
        assert classify(BOT + text, bio).stage == stage

    @pytest.mark.parametrize(("text", "bio", "context", "specialties"), [
        ("actually I'm a PGY-1, and it's peds not pulm", "", None, ("pediatrics",)),
        ("corrección: soy R2 de anestesiología, no de urgencias", "", None, ("anesthesiology",)),
        ("could I get a new mentor? I'm set on peds and Dr. A is adult neuro.", "MS3", "intro",
         ("pediatrics",)),
        ("this isn't a fit — student wants hand surgery research and I'm purely clinical",
         "Orthopaedic surgeon", "intro", ("orthopaedic_surgery",)),
        ("Earn $5000/week with crypto!!! #MedTwitter #MedEd", "Crypto coach", None, ()),
        ("I'm in #MedEd", "", None, ("medical_education",)),
    ])
    def test_denied_and_other_peoples_fields_are_not_the_authors(
            self, text: str, bio: str, context: str | None, specialties: tuple[str, ...]) -> None:
        """Denied words, the match's field in a decline, and a lone hashtag on a non-medical bio."""
        assert classify(BOT + text, bio, context=context).specialties == specialties

    @pytest.mark.parametrize(("text", "bio", "context", "intent"), [
        ("it's not really working out tbh", "", "checkin", "checkin"),
        ("small fix: I'm an MS3, not premed", "", None, "correct"),
        ("I'm an MS2, not an MS1", "", None, "correct"),
        ("Cardiology is not neurology, folks", "", None, "none"),
        ("Step 1: PASS ✅ onto clinicals!!", "MS3", None, "achievement"),
        ("COMLEX level 1 PASS 🙌", "OMS2", None, "achievement"),
        ("Step 1 is pass/fail now, thoughts?", "MS1", None, "none"),
        ("hoping to pass Step 1", "MS2", None, "none"),
        ("If you're an attending, sign up to mentor this cycle!", "Chief of Surgery", None, "none"),
        ("Residents, sign up to be mentored!", "Program director", None, "none"),
        ("folks, sign me up", "MS1", None, "join"),
        ("if you need a mentor, I'm happy to mentor", "Cardiologist", None, "join"),
    ])
    def test_intents_from_what_the_words_do(self, text: str, bio: str, context: str | None,
                                            intent: str) -> None:
        """Softened denials, corrections by contrast, passed exams, and posts urging the reader."""
        assert classify(BOT + text, bio, context=context).intent == intent

    def test_sign_me_up_to_mentor_is_a_mentor(self) -> None:
        got = classify("@MedMentorBot SIGN ME UP TO MENTOR!! 20 yrs family med", "Family doc.")
        assert (got.intent, got.role, got.stage, got.specialties) == \
            ("join", "mentor", "attending", ("family_medicine",))


class TestWhatTheThirdBlindBatchTaught:
    """Causes of the misses on the third blind batch (c001-c100), tested on variants of them."""

    @pytest.mark.parametrize(("text", "bio", "stage"), [
        ("I'm in", "Cirujano cardiovascular | Lima", "attending"),
        ("I'm in", "ER doc | wilderness med", "attending"),
        ("I'm in", "Hospice and palliative doc", "attending"),
        ("I'm in", "Peds | 12 yrs in practice", "attending"),
        ("I'm in", "Interventional cardiology | Denver", "attending"),
        ("I'm in", "MFM | high-risk OB", "attending"),
        ("I'm in", "Neuro post-doc", None),
        ("I'm in", "Estudiante de 3er año", "student"),
        ("this would have been so useful to me as a med student", "Hospitalist", "attending"),
        ("Quero ser mentor! Sou cirurgião vascular", "Cirurgião vascular | Professor da UFMG",
         "senior"),
    ])
    def test_practising_physicians_and_past_selves(self, text: str, bio: str, stage: str | None) -> None:
        """'X doc', years in practice, a subspecialty bio and a noun-first Spanish title practise;
        a stage after 'would have ... as' is the author's past; an ordinal is a year of study."""
        assert classify(BOT + text, bio).stage == stage

    @pytest.mark.parametrize(("text", "bio", "specialties"), [
        ("need a mentor in neuro surgery", "MS2", ("neurosurgery",)),
        ("I'm in", "Pathologist | renal pathology", ("pathology",)),
        ("I'm in", "Professor of Surgery | plastic and reconstructive", ("plastic_surgery",)),
        ("great cardiac imaging session today", "Cardiologist", ("cardiology",)),
        ("I'm in", "MS2 | imaging nerd", ("radiology",)),
    ])
    def test_compound_fields_and_focus_words(self, text: str, bio: str,
                                             specialties: tuple[str, ...]) -> None:
        """A compound names one field; 'imaging' is radiology only when nothing else is named."""
        assert classify(BOT + text, bio).specialties == specialties

    @pytest.mark.parametrize(("text", "bio", "intent"), [
        ("back from medical leave, please resume me", "Pediatrician", "resume"),
        ("starting medical leave, pause me", "Pediatrician", "pause"),
        ("could definitely use a mentor before my grant resubmission", "Geriatrics fellow", "join"),
        ("can you lower me to 1 mentee please", "Professor of Medicine", "capacity"),
        ("our R01 got funded!!", "Assoc Prof, nephrology", "achievement"),
        ("our R01 was not funded this round", "Assoc Prof, nephrology", "none"),
        ("lmao a bot to find them a mentor, what next", "", "none"),
    ])
    def test_intents_of_this_batch(self, text: str, bio: str, intent: str) -> None:
        """A leave one is back from is over; capacity can be lowered; a mentor found for 'them' is
        no request; 'funded' is a win."""
        assert classify(BOT + text, bio).intent == intent


class TestWhatCrossValidationTaught:
    """Causes of the misses that benchmarks/intent_cv.py listed on the blind-written rows,
    tested on variants of them."""

    @pytest.mark.parametrize(("text", "intent"), [
        ("¿qué tengo que escribir para pausar o salir?", "help"),
        ("tem algum comando pra pausar?", "help"),
        ("Is there a list of things I can say to you? Pause, stop etc?", "help"),
        ("STOP. why do you even have my data?", "stop"),
        ("can you pause me until March?", "pause"),
        ("can you stop tagging me and delete my data?", "delete"),
        ("unsubscribe me and delete my data?", "delete"),
        ("pls remove me from the program and erase my info?", "delete"),
        ("can I pause until March? or stop entirely?", "pause"),
        ("what type of data do you keep? please delete my data?", "delete"),
    ])
    def test_a_question_about_the_commands_gets_help(self, text: str, intent: str) -> None:
        """Commands named as bare words inside a question that asks how to give them are a
        question; a command in a phrase, or given before the question, still acts, even two of
        them in a question. (The rules alone.)"""
        assert RULES.classify(BOT + text).intent == intent

    @pytest.mark.parametrize(("text", "intent"), [
        ("deregister me pls, moving to industry", "stop"),
        ("who did you match me with again? the tweet got buried", "status"),
        ("¿sigo apuntado? no me ha llegado nada", "status"),
        ("ainda tô no programa? faz tempo que não recebo nada", "status"),
        ("what commands do you take?", "help"),
        ("am I still signed up? haven't heard anything", "status"),
        ("please stop tagging me in things. I'm out.", "stop"),
        ("quero sair do programa. não me marquem mais", "stop"),
        ("please stop tagging me", "no_shoutouts"),
        ("please stop tagging me, I'm out on vacation till Monday", "no_shoutouts"),
        ("hola! estaba en pausa, ya pueden reactivarme", "resume"),
        ("volví de licencia, ya pueden reactivarme", "resume"),
        ("hola! estaba en pausa pero ya puedo retomar", "resume"),
    ])
    def test_more_ways_to_say_a_command(self, text: str, intent: str) -> None:
        """Phrases of the rules, which act without asking first. Leaving ends the tagging too,
        when it says nothing but leaving; a pause spoken of as over is a return."""
        assert RULES.classify(BOT + text).intent == intent

    @pytest.mark.parametrize(("text", "intent"), [
        ("my mentor wants to take me out for lunch to celebrate! Matched into IM", "achievement"),
        ("I need to get off this app and study for Step 2 lol", "none"),
        ("almost done with the program, PGY3 now, happy to mentor 2 interns", "join"),
        ("please drop me from the FollowFriday posts", "none"),
        ("surgery nights as a PGY2: can handle 2 more consults then I'm done lol", "none"),
        ("let's make it 4 this year", "none"),
        ("ready again for another crazy week of call lol", "none"),
        ("my research was paused for Step but now I'm looking for a neuro mentor, MS3", "join"),
        ("PGY2 still in the program at UCSF, looking for a derm mentor", "join"),
        ("am I still in time to apply?", "none"),
        ("would be nice to have guidance but honestly I am too busy right now", "none"),
        ("me encantaría una mentora pero ahora no puedo", "none"),
        ("I'm too busy to look for one, but I'd love a mentor in cards", "join"),
        ("looking for a mentor, but no rush, next year is fine", "join"),
        ("looking for a mentor in EM but no time pressure, whenever works!", "join"),
        ("busco mentora en cardio, pero no tengo tiempo para reuniones largas, solo chats", "join"),
        ("unsub from my own thoughts pls", "none"),
        ("ya no quiero participar en más encuestas 😂", "none"),
        ("não quero mais participar de plantão extra", "none"),
        ("me salgo del programa de guardias de fin de semana, por fin!", "none"),
        ("would mentor if I had time, sadly I don't this year", "none"),
        ("preciso reativar minha conta do Instagram kkk", "none"),
        ("estoy de regreso en la guardia, 36 horas 🙃", "none"),
        ("end the pause on hiring residents!", "none"),
        ("coffee pause is over, back to the wards", "none"),
        ("how to use this new stethoscope app? anyone tried it", "none"),
        ("erase the hierarchy in medicine", "none"),
        ("delete pls", "delete"),
        ("delete it all", "delete"),
    ])
    def test_everyday_words_near_the_command_phrases(self, text: str, intent: str) -> None:
        """What a phrase must not catch: leaving, capacity, resume and status words in chatter
        and in joins; a wish to join taken back after a "but"; a bare erase verb with anything
        but "pls" or "it all" after it (an erasure cannot be undone). (The rules alone: they act
        without asking.)"""
        assert RULES.classify(BOT + text).intent == intent

    @pytest.mark.parametrize(("text", "bio", "role"), [
        ("peds GI fellow here, would gladly mentor a med student or resident", "", "mentor"),
        ("ST4 geriatrics, Manchester. I'd happily mentor FY docs", "", "mentor"),
        ("count me in 🙌 mentee pls, thinking gyn onc", "Cardiology fellow", "mentee"),
    ])
    def test_role_words_beat_the_stage(self, text: str, bio: str, role: str) -> None:
        got = classify(BOT + text, bio)
        assert (got.intent, got.role) == ("join", role)

    @pytest.mark.parametrize(("bio", "stage"), [
        ("House officer | LUTH", "resident"),
        ("JR2 Medicine | AIIMS", "resident"),
        ("PGR Cardiology | NICVD", "resident"),
        ("RMO | QLD Health", "resident"),
        ("PGI '25 | UST Med", "resident"),
        ("Becada de Dermatología | U. de Chile", "resident"),
        ("3rd year MBBS | Manipal", "student"),
        ("Final year MBBS | Dow", "student"),
        ("acad. medicina | UFPE", "student"),
        ("Clinical clerk | UP-PGH", "student"),
        ("Medical Officer | Kisumu", "attending"),
        ("HOD Obs & Gynae | LUTH", "senior"),
        ("MBBS, MD | 20 years in practice", "attending"),
        ("Junior Medical Officer | Sydney", "resident"),
    ])
    def test_training_grades_around_the_world(self, bio: str, stage: str) -> None:
        """House officers, junior and postgraduate residents, RMOs, PGIs and Chile's "becados"
        train; a year of an MBBS is a student's; a medical officer practises."""
        assert classify(BOT + "I'm in", bio).stage == stage

    @pytest.mark.parametrize(("text", "stage"), [
        ("I'm a fellow now, not a resident", "fellow"),
        ("soy fellow de cardio", "fellow"),
        ("my fellow is great", None),
        ("as fellow residents we must push back", None),
    ])
    def test_a_title_the_author_says_they_hold(self, text: str, stage: str | None) -> None:
        """"fellow" alone is ordinary English; "I'm a fellow" is a stage."""
        assert classify(BOT + text).stage == stage

    @pytest.mark.parametrize(("text", "specialties"), [
        ("na verdade sou de oftalmo, não otorrino", ("ophthalmology",)),
        ("é reumato", ("rheumatology",)),
        ("R1 de nefro", ("nephrology",)),
        ("tengo reuma", ()),
    ])
    def test_spanish_and_portuguese_short_names(self, text: str, specialties: tuple[str, ...]) -> None:
        assert classify(BOT + text).specialties == specialties


class TestContexts:
    def test_check_in_answers(self) -> None:
        """good, unsure, not_a_fit, in three languages and emoji; commands still work."""
        for text, answer in [("Going great 👍", "good"), ("👍", "good"), ("muy bien", "good"),
                             ("ok I guess", "unsure"), ("not sure", "unsure"), ("not great", "unsure"),
                             ("not a fit", "not_a_fit"), ("not working", "not_a_fit"),
                             ("não deu certo", "not_a_fit")]:
            got = classify(text, context="checkin")
            assert (got.intent, got.checkin) == ("checkin", answer), text
        assert classify("stop", context="checkin").intent == "stop"

    def test_declines(self) -> None:
        """In reply to an introduction, or anywhere with the bot mentioned."""
        assert classify("not a fit, sorry", context="intro").intent == "decline"
        assert classify("I'll pass", context="intro").intent == "decline"
        assert classify("Thanks! Excited to connect", context="intro").intent == "none"
        assert classify("@MedMentorBot new mentor please", bot_handle="MedMentorBot").intent == "decline"
        assert classify("new mentor please", bot_handle="MedMentorBot").intent == "none"
        assert classify("@MedMentorBot otro mentor").intent == "decline"

    def test_replies_to_the_call(self) -> None:
        """'I'm in', 'Yes!', a capacity: joins when replying to the call for mentors."""
        assert classify("Yes!", "Nephrologist, assistant professor", context="call").intent == "join"
        got = classify("Can take 2", "EM attending", context="call")
        assert (got.intent, got.role, got.capacity) == ("join", "mentor", 2)
        assert classify("Yes!", "Nephrologist").intent == "none"


class TestAchievements:
    @pytest.mark.parametrize("text", [
        "Matched into EM!", "Paper accepted!!", "Our abstract was accepted at #ACC25",
        "I passed Step 1", "Won best poster 🏆", "Presenting at #SAEM25 next week", "I GOT IN!!!",
        "Me aceptaron en la residencia 🎉", "Fui aprovada!", "Just published our first paper",
        "Step 1 done 🎉", "Thanks to my mentor, I matched into EM!!", "got my first paper accepted with my mentor 🎉",
        "my mentor and I just got our paper accepted in JAMA 🎉", "my attending said I crushed my shelf, passed Step 2 🎉",
        "RT planning done and I passed my boards!!", "me and my mentee just had our case report published 🎉",
        "my attending just told me I passed my OSCE 😭", "my boss just promoted me to associate professor!! 🎉",
        "my students helped me get the teaching award!! 🎉", "mi mentora me ayudó muchísimo, aprobé el ENARM 🎉",
    ])
    def test_wins(self, text: str) -> None:
        """Matches, acceptances, awards, boards, talks, publications, in three languages."""
        assert classify(text).intent == "achievement"

    @pytest.mark.parametrize("text", [
        "🎉🎉 Happy Friday", "Hoping my abstract gets accepted 🤞", "Congrats to everyone who matched!",
        "My mentee just matched into EM", "A fellow runner passed me today", "Matched with my mentor!",
        "my co-resident just got her first first-author paper accepted in JAMA IM 🎉",
        "mi amiga Caro acaba de aprobar el examen de especialidad!!! 🥳",
        "thrilled that my daughter matched into pediatrics today", "RT @drthandi: Just matched into General Surgery!!!",
        "my mentee told me she matched into EM!! 🎉",
    ])
    def test_not_wins(self, text: str) -> None:
        """A party emoji alone, hopes, other people's wins (told as "my ...", or quoted), other
        senses of the words."""
        assert classify(text).intent == "none"
        assert RULES.classify(text).intent == "none"


class TestEvidence:
    def test_says_which_words_decided(self) -> None:
        """intent, role, stage and specialty evidence quote the words as written."""
        got = classify(BOT + "MS3 looking for a mentor in cards")
        assert "intent:join<-'looking for a mentor'" in got.evidence
        assert "role:mentee<-'looking for a mentor'" in got.evidence
        assert "stage:student<-'MS3'" in got.evidence
        assert "specialty:cardiology<-'cards'" in got.evidence

    def test_marks_what_came_from_the_bio(self) -> None:
        """Bio evidence is labelled as such."""
        got = classify(BOT + "sign me up", "PGY-2 | heme/onc")
        assert "stage:resident<-'PGY-2' (bio)" in got.evidence
        assert "specialty:hematology<-'heme/onc' (bio)" in got.evidence


class TestRobustness:
    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(text=st.text(max_size=10_000), bio=st.text(max_size=400),
           context=st.sampled_from(CONTEXTS), today=st.none() | st.dates(),
           allow_preference=st.booleans(), handle=st.none() | st.text(max_size=20))
    def test_any_text_and_bio_classify_without_error(self, text, bio, context, today, allow_preference,
                                                     handle) -> None:
        """Any unicode, control characters included: always a well-formed Classification."""
        got = CLASSIFIER.classify(text, bio, context=context, today=today,
                                  allow_preference=allow_preference, bot_handle=handle)
        _check_well_formed(got, allow_preference)

    @settings(max_examples=60, deadline=None)
    @given(words=st.lists(st.sampled_from(["MS3", "looking", "for", "a", "mentor", "pause", "until", "Jan",
                                            "15", "I'm", "in", "PGY-2", "#MedEd", "🎉", "matched", "!",
                                            "?", ",", "capacity", "3", "prefer", "not", "stop", "EM",
                                            "cardiología", "-", "/", "heme", "onc", "\x00", "\n"]),
                          max_size=40),
           context=st.sampled_from(CONTEXTS))
    def test_word_salads_from_the_vocabulary_classify_well(self, words: list[str], context) -> None:
        """Posts made of meaningful words in any order still give well-formed answers."""
        text = " ".join(words)
        _check_well_formed(classify(text, text, context=context, today=TODAY, allow_preference=True), True)

    def test_long_and_strange_inputs(self) -> None:
        """10,000 random characters, control characters, empty strings."""
        rng = random.Random(1)
        alphabet = [chr(c) for c in range(0x20, 0x3000) if not 0xD800 <= c < 0xE000] + ["\x00", "\x1b", "\u202e"]
        for _ in range(5):
            noise = "".join(rng.choice(alphabet) for _ in range(10_000))
            _check_well_formed(classify(noise, noise, context="call", today=TODAY), False)
        assert classify("", "") == Classification("none")
        assert classify("\x00\x01\x02", "\n\t").intent == "none"


    @pytest.mark.parametrize("wall", [
        "stop " * 4000, "looking for " * 2000 + "mentor", "I'm in, " * 2500, "mentor " * 3000,
        "pause until jan 15 " * 1000, "can take 2 mentees " * 1000, "need a mentor? " * 1300,
        "prefer " * 3000, "1-" * 9000, "🎉" * 10_000, "MS3 cards " * 2000,
    ])
    def test_walls_of_repeated_phrases_stay_fast(self, wall: str) -> None:
        """The rules look at a bounded number of phrases: no input makes them quadratic."""
        started = time.perf_counter()
        _check_well_formed(classify(wall, wall, context="checkin", today=TODAY, allow_preference=True), True)
        assert time.perf_counter() - started < 2.0


def _check_well_formed(got: Classification, allow_preference: bool) -> None:
    assert got.intent in INTENTS
    assert (got.role is not None) == (got.intent == "join") and got.role in (None, "mentor", "mentee")
    assert got.stage in (*STAGE_IDS, None)
    assert list(got.specialties) == sorted(set(got.specialties))
    assert set(got.specialties) <= set(SPECIALTY_IDS)
    assert got.capacity is None or (0 <= got.capacity <= 99 and got.intent in ("join", "capacity"))
    assert got.pause_until is None or got.intent == "pause"
    assert (got.checkin is not None) == (got.intent == "checkin")
    assert got.preference is None or allow_preference
    assert all(isinstance(e, str) for e in got.evidence)
