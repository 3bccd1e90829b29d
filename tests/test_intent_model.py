"""The learned second reading of intent (domain/intentmodel.py) and the gates the classifier puts
on it (Classifier._second_reading): what it may decide, and what it never may."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from mentorbot.config.classifier import build_classifier, default_examples_path, load_examples
from mentorbot.config.vocabulary import load_vocabulary
from mentorbot.domain.classify import Classifier
from mentorbot.domain.intentmodel import Example, IntentModel, features
from mentorbot.errors import ConfigError

VOCABULARY = load_vocabulary()
SHIPPED = build_classifier(VOCABULARY)
RULES = Classifier(VOCABULARY)
TESTS_DATA = Path(__file__).resolve().parent / "data"
BOT = "MedMentorBot"


def _read(classifier: Classifier, text: str, context: str | None = None):
    return classifier.classify(text, "", context=context, bot_handle=BOT)


class TestTheModel:
    def test_learns_the_intent_of_the_words_it_was_shown(self) -> None:
        model = IntentModel.train([
            (["turn", "me", "back", "on"], None, "resume"),
            (["switch", "me", "back", "on", "please"], None, "resume"),
            (["great", "talk", "today"], None, "none"),
            (["lovely", "weather", "today"], None, "none"),
        ])
        guess = model.guess(["ok", "turn", "me", "back", "on", "now"], None)
        assert guess.intent == "resume" and guess.probability > 0.5
        assert "back on" in model.telling(["ok", "turn", "me", "back", "on", "now"], None, "resume")
        assert model.guess(["lovely", "talk", "today"], None).intent == "none"

    def test_the_reply_context_is_a_feature(self) -> None:
        model = IntentModel.train([(["not", "great"], "checkin", "checkin"),
                                   (["not", "great"], None, "none")] * 3)
        assert model.guess(["not", "great"], "checkin").intent == "checkin"
        assert model.guess(["not", "great"], None).intent == "none"

    def test_digits_are_one_shape_and_words_share_pieces(self) -> None:
        found = features(["k08", "mentoring"], None)
        assert "w:k0" in found and "g:ment" in found and "b:k0 mentoring" in found

    def test_needs_examples(self) -> None:
        with pytest.raises(ValueError):
            IntentModel.train([])


class TestWhatTheShippedClassifierReadsBeyondTheRules:
    """Paraphrases the phrase rules miss; each is checked to be missed by the rules alone."""

    @pytest.mark.parametrize("text, context, intent", [
        ("@MedMentorBot ?? how do I use you", None, "help"),
        ("@MedMentorBot my mentor just retired so I'm looking for a new one! Interested in heme/onc", None, "join"),
        ("@MedMentorBot por favor sáquenme del programa, gracias por todo", None, "stop"),
        ("@MedMentorBot gracias pero prefiero otra persona, ¿se puede cambiar?", "intro", "decline"),
    ])
    def test_reads_paraphrases(self, text: str, context: str | None, intent: str) -> None:
        assert _read(RULES, text, context).intent == "none"
        got = _read(SHIPPED, text, context)
        assert got.intent == intent
        assert got.evidence[0].startswith(f"intent:{intent}<-model(")

    def test_a_check_in_answer_in_new_words_gets_its_answer(self) -> None:
        got = _read(SHIPPED, "@MedMentorBot not a great fit tbh, we never click", "checkin")
        assert (got.intent, got.checkin) == ("checkin", "not_a_fit")


class TestWhatTheModelMayNeverDecide:
    """Each gate, on a classifier trained to make the wrong guess as surely as it can."""

    @staticmethod
    def _trained(text: str, intent: str, context: str | None = None) -> Classifier:
        examples = [Example(text, context, intent)] * 20 + [Example("lovely weather on the ward today", None, "none")]
        return Classifier(VOCABULARY, examples=examples)

    def test_never_erases_anyone(self) -> None:
        text = "@MedMentorBot wipe whatever you hold on me"
        assert _read(self._trained(text, "delete"), text).intent == "none"

    def test_a_few_words_are_nobodys_command(self) -> None:
        text = "@MedMentorBot thanks!"
        assert _read(self._trained(text, "stop"), text).intent == "none"

    def test_a_command_must_be_addressed_to_the_bot(self) -> None:
        text = "gonna vanish from this site for boards, see you all in July"
        classifier = self._trained(text, "pause")
        assert _read(classifier, text).intent == "none"  # no mention
        assert _read(classifier, f"@DrKim @{BOT} {text}").intent == "none"  # speaks to Dr Kim first
        assert _read(classifier, f"@{BOT} {text}").intent == "pause"

    def test_a_negated_join_is_no_join(self) -> None:
        text = "@MedMentorBot I don't need a mentor I need a nap and an Epic login that works"
        assert _read(self._trained(text, "join"), text).intent == "none"

    def test_a_negated_post_is_nobodys_stop(self) -> None:
        text = "@MedMentorBot I'm not leaving don't worry, just changed my display name"
        assert _read(self._trained(text, "stop"), text).intent == "none"

    def test_someone_elses_request_is_no_join(self) -> None:
        text = "@MedMentorBot my resident is keen on a mentor in GI, can you help"
        assert _read(self._trained(text, "join"), text).intent == "none"

    def test_someone_elses_win_is_not_reposted(self) -> None:
        text = "@MedMentorBot my co-resident just got her first-author paper into JAMA"
        assert _read(self._trained(text, "achievement"), text).intent == "none"

    def test_a_win_must_mention_the_bot(self) -> None:
        text = "first case as primary surgeon today, lap chole in 42 minutes"
        classifier = self._trained(text, "achievement")
        assert _read(classifier, text).intent == "none"
        assert _read(classifier, f"{text} @{BOT}").intent == "achievement"

    def test_a_decline_only_in_reply_to_an_introduction(self) -> None:
        text = "@MedMentorBot could I get someone outside my own institution"
        classifier = self._trained(text, "decline", "intro")
        assert _read(classifier, text, None).intent == "none"
        assert _read(classifier, text, "intro").intent == "decline"

    def test_the_rules_own_words_negated_are_not_overruled(self) -> None:
        text = "@MedMentorBot please don't stop doing what you are doing"
        assert _read(self._trained(text, "stop"), text).intent == "none"

    def test_identity_hashtags_never_reach_the_model(self) -> None:
        """The tokeniser drops them before the model sees a post: no feature, no evidence."""
        text = "@MedMentorBot hoping to be paired soon #BlackInMedicine #FirstGenMed please"
        classifier = self._trained(text, "join")
        got = _read(classifier, text)
        assert got.intent == "join"
        assert not any("black" in line.casefold() or "firstgen" in line.casefold() for line in got.evidence)
        keys = classifier._tokenize(text).keys
        assert not any("black" in f or "firstgen" in f for f in features(keys, None))


class TestTheLabelledExamples:
    def test_the_packaged_examples_are_the_labelled_set(self) -> None:
        assert default_examples_path().read_bytes() == (TESTS_DATA / "labelled_posts.jsonl").read_bytes()
        rows = [json.loads(line) for line in (TESTS_DATA / "labelled_posts.jsonl").read_text().splitlines()]
        examples = load_examples()
        assert len(examples) == len(rows)
        assert sum(e.answer is not None for e in examples) == sum(r["intent"] == "checkin" for r in rows)

    def test_a_broken_file_names_the_file_the_line_and_the_fix(self, tmp_path: Path) -> None:
        path = tmp_path / "mine.jsonl"
        path.write_text('{"text": "hi", "context": null, "intent": "none"}\n{"text": "x", "intent": "joinn"}\n')
        with pytest.raises(ConfigError) as caught:
            load_examples(path)
        message = str(caught.value)
        assert "mine.jsonl" in message and "line 2" in message and "one of join" in message
        path.write_text("not json\n")
        with pytest.raises(ConfigError, match="line 1.*not JSON.*one JSON object per line"):
            load_examples(path)
        with pytest.raises(ConfigError, match="cannot read"):
            load_examples(tmp_path / "missing.jsonl")

    def test_a_campaign_may_train_on_its_own_examples(self, tmp_path: Path) -> None:
        path = tmp_path / "ours.jsonl"
        rows = [{"text": "@MedMentorBot hazme un hueco por favor, quiero mentoría", "context": None, "intent": "join"}] * 5
        rows.append({"text": "que calor hace hoy en la guardia", "context": None, "intent": "none"})
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
        got = _read(build_classifier(VOCABULARY, path), "@MedMentorBot hazme un hueco por favor, quiero mentoría")
        assert got.intent == "join"
