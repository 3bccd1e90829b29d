"""The learned second reading of intent (domain/intentmodel.py) and the gates the classifier puts
on it (Classifier._second_reading): what it may decide, and what it never may."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from mentorbot.config.campaign import load_campaign
from mentorbot.config.classifier import build_classifier, load_examples
from mentorbot.config.vocabulary import load_vocabulary
from mentorbot.domain.classify import Classification, Classifier
from mentorbot.domain.intentmodel import Example, IntentModel, features
from mentorbot.domain.model import Post, User
from mentorbot.domain.records import Match, Participant
from mentorbot.domain.registration import Facts, decide
from mentorbot.errors import ConfigError

VOCABULARY = load_vocabulary()
SHIPPED = build_classifier(VOCABULARY)
RULES = Classifier(VOCABULARY)
TESTS_DATA = Path(__file__).resolve().parent / "data"
CAMPAIGN = load_campaign(Path(__file__).resolve().parents[1] / "config/campaigns/medmentormatch.toml", VOCABULARY)
BOT = "MedMentorBot"


def _read(classifier: Classifier, text: str, context: str | None = None):
    return classifier.classify(text, "", context=context, bot_handle=BOT)


def _trained(text: str, intent: str, context: str | None = None) -> Classifier:
    """A classifier whose model reads ``text`` as ``intent`` as surely as it can."""
    examples = [Example(text, context, intent)] * 20 + [Example("lovely weather on the ward today", None, "none")]
    return Classifier(VOCABULARY, examples=examples)


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
        assert "back on" in model.telling(["ok", "turn", "me", "back", "on", "now"], "resume")
        assert model.guess(["lovely", "talk", "today"], None).intent == "none"
        assert model.guess(["lovely", "talk", "today"], None, unless="none") is None  # it agrees
        assert model.guess(["lovely", "talk", "today"], None, unless="resume").intent == "none"

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

    def test_every_hashtag_but_identity_ones_is_one_feature(self) -> None:
        """A campaign's hashtag is no sign of joining: the model sees only that a hashtag is there."""
        found = features(["#medmentormatch", "hi"], None)
        assert "w:#" in found and not any("medmentormatch" in feature for feature in found)

    def test_its_probabilities_are_tempered(self) -> None:
        """Counted once per word, piece and pair, naive Bayes is sure of everything; tempered, a
        post it has barely seen evidence for is not read as certain."""
        model = IntentModel.train([(["turn", "me", "back", "on"], None, "resume"),
                                   (["great", "talk", "today"], None, "none")])
        assert 0.5 < model.guess(["back", "today"], None).probability < 0.99


class TestWhatTheShippedClassifierReadsBeyondTheRules:
    """Paraphrases the phrase rules miss, none of them in the labelled set (checked): what the
    model learned carries over to wordings it never saw."""

    @pytest.mark.parametrize("text, context, intent", [
        ("@MedMentorBot hiya, how am I meant to use this bot exactly?", None, "help"),
        ("@MedMentorBot my old mentor moved abroad, would love to find someone new in nephrology", None, "join"),
        ("@MedMentorBot por favor sáquenme del programa, gracias por todo", None, "stop"),
        ("@MedMentorBot appreciate it but I'd prefer a different person, is that possible?", "intro", "decline"),
    ])
    def test_reads_paraphrases(self, text: str, context: str | None, intent: str) -> None:
        assert text not in {example.text for example in load_examples()}
        assert _read(RULES, text, context).intent == "none"
        got = _read(SHIPPED, text, context)
        assert got.intent == intent and got.guessed
        assert got.evidence[0].startswith(f"intent:{intent}<-model(")


class TestWhatTheModelMayNeverDecide:
    """Each gate, on a classifier trained to make the wrong guess as surely as it can."""

    def test_an_erasure_it_guesses_is_only_asked_about(self) -> None:
        """Erasing cannot be undone: a guessed DELETE is a question, never an erasure."""
        text = "@MedMentorBot make every trace of me vanish from your systems"
        assert _read(RULES, text).intent == "none"  # no erase word the rules know
        got = _read(_trained(text, "delete"), text)
        assert got.intent == "delete" and got.guessed
        author = User(id="42", username="drjane", description="")
        post = Post(id="100", text=text, author_id="42", created_at=datetime(2026, 1, 6, tzinfo=timezone.utc))
        jane = Participant(campaign_id=CAMPAIGN.id, person_id="42", handle="drjane", role="mentee",
                           stage=None, specialties=(), joined_at=post.created_at, consented_at=post.created_at)
        decision = decide(post, author, got, campaign=CAMPAIGN, vocabulary=VOCABULARY,
                          facts=Facts(now=post.created_at, participant=jane))
        assert decision.outcome == "asked:delete" and not decision.forget
        assert "DELETE MY DATA" in decision.actions[0].text
        assert _read(RULES, "@MedMentorBot DELETE MY DATA").intent == "delete"  # the answer is certain

    def test_a_capacity_needs_a_number(self) -> None:
        with_number = "@MedMentorBot I could handle two mentees from here on out"
        assert _read(_trained(with_number, "capacity"), with_number).capacity == 2
        without = "@MedMentorBot I can handle fewer of them these days"
        assert _read(_trained(without, "capacity"), without).intent == "none"

    def test_a_capacity_it_reads_takes_the_posts_only_number(self) -> None:
        one = "@MedMentorBot got more bandwidth this semester, up me to five"
        assert _read(RULES, one).intent == "none"
        got = _read(_trained(one, "capacity"), one)
        assert (got.intent, got.capacity, got.guessed) == ("capacity", 5, True)
        two = "@MedMentorBot honestly 3 was too much, 2 is about my limit going forward"
        assert _read(_trained(two, "capacity"), two).intent == "none"  # which one counts?

    def test_a_correction_must_state_a_stage_or_specialty(self) -> None:
        stated = "@MedMentorBot that is not quite how I would describe myself, cardiology fellow here"
        assert _read(_trained(stated, "correct"), stated).intent == "correct"
        vague = "@MedMentorBot that is not quite how I would describe myself"
        assert _read(_trained(vague, "correct"), vague).intent == "none"

    def test_a_longer_handle_is_not_the_bot(self) -> None:
        text = "wrapped up the thesis defense today, celebrating tonight"
        classifier = _trained(text, "achievement")
        assert _read(classifier, f"{text} @MedMentorBotFan").intent == "none"
        assert _read(classifier, f"{text} @MedMentorBot").intent == "achievement"

    def test_a_few_words_are_nobodys_command(self) -> None:
        text = "@MedMentorBot thanks!"
        assert _read(_trained(text, "stop"), text).intent == "none"

    def test_a_command_must_be_addressed_to_the_bot(self) -> None:
        text = "gonna vanish from this site for boards, see you all in July"
        classifier = _trained(text, "pause")
        assert _read(classifier, text).intent == "none"  # no mention
        assert _read(classifier, f"@DrKim @{BOT} {text}").intent == "none"  # speaks to Dr Kim first
        assert _read(classifier, f"@{BOT} {text}").intent == "pause"

    def test_a_negated_join_is_no_join(self) -> None:
        text = "@MedMentorBot I don't need a mentor I need a nap and an Epic login that works"
        assert _read(_trained(text, "join"), text).intent == "none"

    def test_someone_elses_request_is_no_join(self) -> None:
        text = "@MedMentorBot my resident is keen on a mentor in GI, can you help"
        assert _read(_trained(text, "join"), text).intent == "none"

    def test_someone_elses_win_is_not_reposted(self) -> None:
        text = "@MedMentorBot my co-resident just got her first-author paper into JAMA"
        assert _read(_trained(text, "achievement"), text).intent == "none"

    def test_a_win_must_mention_the_bot(self) -> None:
        text = "first case as primary surgeon today, lap chole in 42 minutes"
        classifier = _trained(text, "achievement")
        assert _read(classifier, text).intent == "none"
        assert _read(classifier, f"{text} @{BOT}").intent == "achievement"

    def test_a_decline_only_in_reply_to_an_introduction(self) -> None:
        text = "@MedMentorBot could I get someone outside my own institution"
        classifier = _trained(text, "decline", "intro")
        assert _read(classifier, text, None).intent == "none"
        assert _read(classifier, text, "intro").intent == "decline"

    def test_the_rules_own_words_negated_are_not_overruled(self) -> None:
        text = "@MedMentorBot please don't stop doing what you are doing"
        assert _read(_trained(text, "stop"), text).intent == "none"

    def test_a_correction_stated_in_reply_to_the_confirmation_or_of_oneself(self) -> None:
        """ "not ENT, plastics" corrects the bot in reply to its confirmation; as a remark to the
        bot ("Cardiology is not neurology, folks") it corrects nothing."""
        remark = "@MedMentorBot cardiology is not neurology, folks"
        classifier = _trained(remark, "correct")
        assert _read(classifier, remark).intent == "none"
        assert _read(classifier, remark, "confirm").intent == "correct"
        assert _read(classifier, "@MedMentorBot my field is cardiology, not neurology").intent == "correct"

    def test_identity_hashtags_never_reach_the_model(self) -> None:
        """The tokeniser drops them before the model sees a post: no feature, no evidence."""
        text = "@MedMentorBot hoping to be paired soon #BlackInMedicine #FirstGenMed please"
        classifier = _trained(text, "join")
        got = _read(classifier, text)
        assert got.intent == "join"
        assert not any("black" in line.casefold() or "firstgen" in line.casefold() for line in got.evidence)
        keys = classifier._tokenize(text).keys
        assert not any("black" in f or "firstgen" in f for f in features(keys, None))


class TestWhenTheModelOverrulesTheRules:
    """The rules' phrases misfire on jokes and on questions; a model that is surer still may
    overrule them, but never an opt-out."""

    def test_a_joke_in_joining_words_is_no_join(self) -> None:
        text = "@MedMentorBot sign me up for a nap and a sandwich please"
        assert _read(RULES, text).intent == "join"
        got = _read(_trained(text, "none"), text)
        assert got.intent == "none" and not got.guessed
        assert got.evidence[0].startswith("intent:none<-model(") and "over join" in got.evidence[0]

    def test_a_question_in_joining_words_gets_help(self) -> None:
        text = "@MedMentorBot what happens after I sign up, do you email me or what"
        assert _read(RULES, text).intent == "join"
        got = _read(_trained(text, "help"), text)
        assert got.intent == "help" and got.guessed

    def test_an_intent_of_its_own_needs_a_longer_post(self) -> None:
        text = "@MedMentorBot who are my mentees?"
        assert _read(RULES, text).intent == "status"
        assert _read(_trained(text, "join"), text).intent == "status"

    @pytest.mark.parametrize("text, intent", [
        ("@MedMentorBot I want to leave the program, please remove me", "stop"),
        ("@MedMentorBot pause me until March please, exams are coming", "pause"),
        ("@MedMentorBot delete my data, all of it, thank you", "delete"),
        ("@MedMentorBot no shoutouts for me please, I keep a low profile", "no_shoutouts"),
    ])
    def test_an_opt_out_the_rules_read_is_never_overruled(self, text: str, intent: str) -> None:
        """Honour opt-out at once: however sure the model is that it is chit-chat."""
        assert _read(RULES, text).intent == intent
        assert _read(_trained(text, "none"), text).intent == intent
        assert _read(_trained(text, "join"), text).intent == intent


class TestWhatTheGatesLetThrough:
    """Gates narrowed by cross-validation (benchmarks/intent_cv.py): each still stops the mistake
    it was made for, and no longer stops the request beside it. In each case the rules alone read
    nothing, and the model was trained to read the post as the request."""

    @pytest.mark.parametrize("text, intent", [
        ("@MedMentorBot please delete all the data you have on me", "delete"),
        ("@MedMentorBot leave me out of future rounds, I'm done", "stop"),
        ("@MedMentorBot pls don't feature my match news, I'd rather keep it quiet", "no_shoutouts"),
        ("@MedMentorBot sir kindly avoid mentioning my name in the weekly highlights", "no_shoutouts"),
    ])
    def test_an_opt_out_in_words_the_rules_know_but_do_not_read(self, text: str, intent: str) -> None:
        """Its words are not negated ("don't feature" is the request itself), so it is asked about."""
        assert _read(RULES, text).intent == "none"
        got = _read(_trained(text, intent), text)
        assert got.intent == intent and got.guessed

    @pytest.mark.parametrize("text, intent", [
        ("@MedMentorBot no pienso darme de baja nunca, este programa me salvó", "stop"),
        ("@MedMentorBot feel free to share my posts whenever you like", "no_shoutouts"),
    ])
    def test_an_opt_out_whose_words_are_negated_or_invited_is_none(self, text: str, intent: str) -> None:
        assert _read(_trained(text, intent), text).intent == "none"

    def test_a_win_with_the_emoji_of_an_answer_to_a_call(self) -> None:
        """🙌 is how people answer a call; in a win it is only joy. A win word the rules read
        as someone else's stays theirs."""
        text = "@MedMentorBot did my first solo lap chole today 🙌"
        assert _read(_trained(text, "achievement"), text).intent == "achievement"
        other = "@MedMentorBot my mentee matched into EM today and I cried in the parking lot"
        assert _read(_trained(other, "achievement"), other).intent == "none"

    def test_a_greeting_before_the_handle_still_addresses_the_bot(self) -> None:
        text = "hey @MedMentorBot, who is the best person to ask about pausing over the summer"
        assert _read(_trained(text, "help"), text).intent == "help"
        assert _read(_trained(text, "help"), f"@DrKim {text}").intent == "none"

    def test_a_join_may_mention_the_bot_anywhere_a_command_may_not(self) -> None:
        text = "Door's always open for aspiring neurologists, happy to chat @MedMentorBot"
        assert _read(_trained(text, "join"), text).intent == "join"
        command = "gonna vanish from this site for boards, see you all in July @MedMentorBot"
        assert _read(_trained(command, "pause"), command).intent == "none"
        to_someone = "@DrKim @MedMentorBot keen to have FY docs shadow me in the cath lab this summer"
        assert _read(_trained(to_someone, "join"), to_someone).intent == "none"  # speaks to Dr Kim

    def test_a_negation_that_is_not_about_wanting_a_mentor(self) -> None:
        text = "@MedMentorBot FY2 in Leeds, want to get into paeds and have no clue how. I don't know anyone in paeds"
        assert _read(_trained(text, "join"), text).intent == "join"
        refused = "@MedMentorBot honestly I don't have time for a mentor this year, maybe later"
        assert _read(_trained(refused, "join"), refused).intent == "none"

    def test_anyone_in_an_offer_is_the_authors_mentee_to_be(self) -> None:
        text = "@MedMentorBot genetics is tiny. if any student wants a peek in, I'm here"
        assert _read(_trained(text, "join"), text).intent == "join"
        offer = "@MedMentorBot happy to chat with anyone interested in IR"
        assert _read(_trained(offer, "join"), offer).intent == "join"
        for asking in ("@MedMentorBot any student here looking for a mentor in genetics?",
                       "@MedMentorBot any student here looking for a mentor in genetics? I know a great one",
                       "@MedMentorBot any student who wants a mentor, I'd say just DM attendings directly",
                       "@MedMentorBot if you want a mentor I'm sure someone here will help"):
            assert _read(_trained(asking, "join"), asking).intent == "none"


class TestTheLearnedRole:
    """Where a join's words name no role the rules know, a role model trained on the labelled
    joins reads it; a bare "I'm in" still takes the role from the stage."""

    @staticmethod
    def _classifier() -> Classifier:
        asking = "@MedMentorBot alguém de radio-oncologia topa orientar uma interna? por favor"
        offering = "@MedMentorBot my door is always open for students curious about radiation oncology"
        examples = [Example(asking, None, "join", None, "mentee"), Example(offering, None, "join", None, "mentor"),
                    Example("@MedMentorBot I'm in", "call", "join", None, "mentor")] * 10
        return Classifier(VOCABULARY, examples=[*examples, Example("lovely weather on the ward today", None, "none")])

    def test_reads_the_role_the_words_ask_for(self) -> None:
        classifier = self._classifier()
        got = classifier.classify("@MedMentorBot alguém de radio-oncologia topa orientar uma interna? por favor",
                                  "Médica | Attending", bot_handle=BOT)
        assert (got.intent, got.role, got.stage) == ("join", "mentee", "attending")
        assert any(line.startswith("role:mentee<-model(") for line in got.evidence)
        got = classifier.classify("@MedMentorBot my door is always open for students curious about radiation oncology",
                                  "MS4", bot_handle=BOT)
        assert (got.role, got.stage) == ("mentor", "student")

    def test_against_the_stage_it_is_only_asked_about(self) -> None:
        """The role model reads the post's words only: where it says mentee of a professor (or
        mentor of a student), the bot asks before registering, as on any guess."""
        text = "@MedMentorBot sign me up, would love someone to bounce ERAS stuff off this fall"
        examples = [Example(text, None, "join", None, "mentee"),
                    Example("@MedMentorBot sign me up, happy to have students shadow in clinic", None, "join", None,
                            "mentor")] * 10
        classifier = Classifier(VOCABULARY, examples=[*examples, Example("lovely weather today", None, "none")])
        assert _read(RULES, text).intent == "join"  # the rules read the join, not the role
        got = classifier.classify(text, "Professor of Medicine", bot_handle=BOT)
        assert (got.intent, got.role, got.guessed) == ("join", "mentee", True)
        got = classifier.classify(text, "MS4 | future EM", bot_handle=BOT)
        assert (got.intent, got.role, got.guessed) == ("join", "mentee", False)
        assert not classifier.classify(text, "", bot_handle=BOT).guessed

    def test_a_bare_join_takes_the_stage(self) -> None:
        got = self._classifier().classify("@MedMentorBot I'm in", "MS3 | future rad onc", context="call",
                                          bot_handle=BOT)
        assert (got.intent, got.role) == ("join", "mentee")

    def test_the_evidence_quotes_words_not_the_models_shapes(self) -> None:
        """Digits are '0' and hashtags '#' inside the model; the evidence shows only words."""
        model = IntentModel.train([(["2nd", "yr", "#peds", "need", "guidance"], None, "mentee"),
                                   (["happy", "to", "guide", "#peds"], None, "mentor")])
        telling = model.telling(["2nd", "yr", "#peds", "need", "guidance"], "mentee", most=10)
        assert telling and not any("0" in word or "#" in word for word in telling)


class TestTheLabelledExamples:
    def test_the_packaged_examples_are_the_labelled_set(self) -> None:
        rows = [json.loads(line) for line in (TESTS_DATA / "labelled_posts.jsonl").read_text().splitlines()]
        examples = load_examples()
        assert len(examples) == len(rows)
        assert sum(e.answer is not None for e in examples) == sum(r["intent"] == "checkin" for r in rows)
        assert sum(e.role is not None for e in examples) == sum(r["intent"] == "join" for r in rows)

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
        path.write_text('{"text": "count me in", "context": null, "intent": "join", "role": "boss"}\n')
        with pytest.raises(ConfigError, match="line 1.*\"role\", when given, is mentor or mentee"):
            load_examples(path)

    def test_a_campaign_may_train_on_its_own_examples(self, tmp_path: Path) -> None:
        path = tmp_path / "ours.jsonl"
        rows = [{"text": "@MedMentorBot hazme un hueco por favor, me vendría genial", "context": None, "intent": "join"}] * 5
        rows += [{"text": f"que calor hace hoy en la guardia {n}", "context": None, "intent": "none"} for n in range(5)]
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
        got = _read(build_classifier(VOCABULARY, path), "@MedMentorBot hazme un hueco por favor, me vendría genial")
        assert got.intent == "join" and got.guessed

    def test_a_set_without_chatter_is_refused(self, tmp_path: Path) -> None:
        """A model that never saw "none" would read "what a lovely day" as a join."""
        path = tmp_path / "joins.jsonl"
        path.write_text(json.dumps({"text": "@MedMentorBot sign me up", "context": None, "intent": "join"}) + "\n")
        with pytest.raises(ConfigError, match="joins.jsonl.*0 of them \"none\".*label at least 5 posts"):
            load_examples(path)


class TestTheBotAsksBeforeActingOnAGuess:
    """Through the sandbox: a request read only by the learned reading gets one question, and
    nothing changes until the person answers with the words the rules know."""

    @pytest.fixture
    def rig(self):
        from test_campaign_bot import Rig
        r = Rig()
        yield r
        r.close()

    def test_a_guessed_opt_out_is_asked_about_then_honoured_on_the_exact_word(self, rig) -> None:
        from test_campaign_bot import BOT, CID
        from test_rounds_e2e import _drain
        person = rig.sb.create_user("RuralFMIntern", description="PGY-1 family medicine | rural track").id
        rig.sb.post("RuralFMIntern", f"@{BOT} #MedMentorMatch PGY-1 looking for a family medicine mentor")
        _drain(rig, 0.5)
        assert rig.store.participant(CID, person).status == "active"
        guessed = f"@{BOT} por favor sáquenme del programa, gracias por todo"
        assert _read(RULES, guessed).intent == "none" and _read(SHIPPED, guessed).guessed
        rig.sb.post("RuralFMIntern", guessed)
        rig.clock.advance(61)
        _drain(rig, 0.5)
        assert rig.store.participant(CID, person).status == "active"  # nothing changed yet
        asked = [p for p in rig.sb.posts(author=BOT) if "reply STOP" in p["text"] or "Reply STOP" in p["text"]]
        assert len(asked) == 1 and "leave the program" in asked[0]["text"]
        assert not [e for e in rig.store.events(CID, person) if e.kind == "consent_withdrawn"]
        rig.sb.post("RuralFMIntern", f"@{BOT} STOP", reply_to=asked[0]["id"])
        rig.clock.advance(61)
        _drain(rig, 0.5)
        assert rig.store.participant(CID, person).status == "left"
        assert [e for e in rig.store.events(CID, person) if e.kind == "consent_withdrawn"]


    def test_a_confirmed_join_keeps_what_the_first_post_said(self, rig) -> None:
        """The answer "yes, sign me up" says nothing about the person; the post it confirms did."""
        from test_campaign_bot import BOT, CID
        from test_rounds_e2e import _drain
        person = rig.sb.create_user("SlowOnDMs", description="Views my own").id
        guessed = f"@{BOT} geriatrician, 20+ yrs in. put me down for 1 mentee, slow on DMs"
        assert _read(RULES, guessed).intent == "none"
        rig.sb.post("SlowOnDMs", guessed)
        _drain(rig, 0.5)
        assert rig.store.participant(CID, person) is None  # asked, not registered
        (question,) = [p for p in rig.sb.posts(author=BOT) if "SIGN ME UP" in p["text"]]
        rig.sb.post("SlowOnDMs", f"@{BOT} yes, sign me up", reply_to=question["id"])
        rig.clock.advance(61)
        _drain(rig, 0.5)
        p = rig.store.participant(CID, person)
        assert (p.role, p.specialties, p.capacity) == ("mentor", ("geriatrics",), 1)
        assert [e.kind for e in rig.store.events(CID, person)][:2] == ["asked", "consent_given"]


class TestRegistrationOfAGuess:
    """registration.decide on a guessed Classification: what it asks about first, what it
    ignores, and how the answer acts as the question meant."""

    NOW = datetime(2026, 1, 6, 15, 0, tzinfo=timezone.utc)

    def _decide(self, cls: Classification, participant: Participant | None, **facts):
        author = User(id="42", username="drjane", description="")
        post = Post(id="100", text="@MedMentorBot whatever they wrote", author_id="42", created_at=self.NOW)
        return decide(post, author, cls, campaign=CAMPAIGN, vocabulary=VOCABULARY,
                      facts=Facts(now=self.NOW, participant=participant, **facts))

    def _person(self, status: str = "active", role: str = "mentee", **changes) -> Participant:
        return Participant(campaign_id=CAMPAIGN.id, person_id="42", handle="drjane", role=role,
                           stage="student", specialties=("cardiology",), joined_at=self.NOW,
                           consented_at=self.NOW, status=status, **changes)

    @pytest.mark.parametrize("intent, person, word", [
        ("stop", "active", "STOP"), ("pause", "active", "PAUSE"), ("resume", "paused", "RESUME"),
        ("no_shoutouts", "active", "NO SHOUTOUTS"), ("join", None, "SIGN ME UP"),
        ("delete", "active", "DELETE MY DATA"), ("join", "left", "SIGN ME UP"),
    ])
    def test_a_guess_that_changes_consent_is_asked_about_and_changes_nothing(self, intent, person, word) -> None:
        cls = Classification(intent, role="mentee" if intent == "join" else None, guessed=True)
        decision = self._decide(cls, self._person(person) if person else None)
        assert decision.outcome == f"asked:{intent}"
        assert decision.participant is None and decision.status is None
        assert [kind for kind, _ in decision.events] == ["asked"]  # the record of the question only
        assert decision.events[0][1]["intent"] == intent and decision.events[0][1]["source"] == "100"
        assert not decision.cancel_planned and not decision.end_matches and not decision.forget
        (reply,) = decision.actions
        assert word in reply.text and reply.in_reply_to == "100"

    def test_the_question_says_the_number_and_the_date_it_read(self) -> None:
        capacity = self._decide(Classification("capacity", capacity=2, guessed=True), self._person(role="mentor"))
        assert "CAPACITY 2" in capacity.actions[0].text
        until = date(2026, 2, 1)
        pause = self._decide(Classification("pause", pause_until=until, guessed=True), self._person())
        assert "PAUSE until Sunday, 1 February" in pause.actions[0].text
        said_back = RULES.classify("@MedMentorBot PAUSE until Sunday, 1 February", "", bot_handle=BOT,
                                   today=self.NOW.date())
        assert said_back.pause_until == until

    @pytest.mark.parametrize("intent, person, extra", [
        ("stop", "left", {}), ("pause", "paused", {}), ("resume", "active", {}), ("join", "active", {}),
        ("capacity", "active", {"capacity": 2}), ("decline", "active", {}),
    ])
    def test_a_guess_that_would_change_nothing_gets_no_question(self, intent, person, extra) -> None:
        decision = self._decide(Classification(intent, guessed=True, **extra), self._person(person))
        assert decision.outcome == f"ignored:{intent}_guessed_no_change"
        assert decision.actions == () and decision.events == () and decision.participant is None

    def test_the_same_intent_in_the_rules_words_acts_at_once(self) -> None:
        decision = self._decide(Classification("stop"), self._person())
        assert decision.outcome == "stopped" and decision.status[0] == "left"

    def test_a_guessed_not_a_fit_answer_asks_before_ending_the_pair(self) -> None:
        match = Match(id=7, campaign_id=CAMPAIGN.id, mentee_id="42", mentor_id="9", score=1.0,
                      status="active", proposed_at=self.NOW)
        cls = Classification("checkin", checkin="not_a_fit", guessed=True)
        decision = self._decide(cls, self._person(), context="checkin", open_matches=(match,), context_match_id=7)
        assert decision.outcome == "asked:decline" and "NEW MENTOR" in decision.actions[0].text
        assert not decision.end_matches and decision.match_updates == ()
        assert decision.events[0][1]["match"] == 7

    def test_two_questions_to_one_person_are_never_word_for_word_the_same(self) -> None:
        """X refuses a repeated text: the day of the post asked about is in every wording, so a
        second question about the same thing on another day differs even in the same wording."""
        author = User(id="42", username="drjane", description="")
        texts = set()
        for day in (6, 9):
            when = datetime(2026, 1, day, 15, 0, tzinfo=timezone.utc)
            post = Post(id=f"10{day}", text="@MedMentorBot whatever", author_id="42", created_at=when)
            decision = decide(post, author, Classification("stop", guessed=True), campaign=CAMPAIGN,
                              vocabulary=VOCABULARY, facts=Facts(now=when, participant=self._person(), replies_ever=3))
            texts.add(decision.actions[0].text)
        assert len(texts) == 2

    def test_a_guessed_win_is_noted_never_reposted(self) -> None:
        decision = self._decide(Classification("achievement", guessed=True), self._person())
        assert decision.outcome == "noted:achievement_guessed" and decision.actions == ()

    def test_a_guessed_help_is_answered_at_once(self) -> None:
        decision = self._decide(Classification("help", guessed=True), self._person())
        assert decision.outcome == "helped" and len(decision.actions) == 1

    def test_a_question_about_leaving_is_not_held_back_by_the_daily_cap(self) -> None:
        cap = CAMPAIGN.limits.replies_per_person_per_day
        stop = self._decide(Classification("stop", guessed=True), self._person(), replies_today=cap)
        assert stop.outcome == "asked:stop" and len(stop.actions) == 1
        pause = self._decide(Classification("pause", guessed=True), self._person(), replies_today=cap)
        assert pause.outcome == "asked:pause:reply_capped" and pause.actions == ()

    def test_the_answer_acts_as_the_question_meant(self) -> None:
        """"SIGN ME UP" to a question about "geriatrician, put me down for 1 mentee" registers a
        mentor in geriatrics with room for one, though the answer itself says none of that."""
        guessed = Classification("join", role="mentor", stage="attending", specialties=("geriatrics",),
                                 capacity=1, guessed=True)
        asked = self._decide(guessed, None)
        question = asked.events[0][1]
        answer = _read(SHIPPED, "@MedMentorBot yes, sign me up")
        assert answer.intent == "join" and not answer.guessed
        joined = self._decide(answer, None, context="confirm", question=question)
        assert joined.outcome in ("joined", "pending")
        p = joined.participant
        assert (p.role, p.stage, p.specialties, p.capacity) == ("mentor", "attending", ("geriatrics",), 1)

    def test_new_mentor_ends_the_match_the_question_was_about(self) -> None:
        matches = tuple(Match(id=n, campaign_id=CAMPAIGN.id, mentee_id=str(n), mentor_id="42", score=1.0,
                              status="active", proposed_at=self.NOW) for n in (7, 8))
        mentor = self._person(role="mentor", capacity=2)
        asked = self._decide(Classification("decline", guessed=True), mentor, context="intro",
                             open_matches=matches, context_match_id=8)
        question = asked.events[0][1]
        answer = _read(SHIPPED, "@MedMentorBot yes, NEW MENTOR")
        declined = self._decide(answer, mentor, context="confirm", open_matches=matches, question=question)
        assert declined.outcome == "declined" and declined.match_updates == ((8, "declined", None),)

    def test_an_answer_that_is_not_the_question_takes_nothing_from_it(self) -> None:
        question = self._decide(Classification("stop", guessed=True), self._person()).events[0][1]
        status = self._decide(_read(SHIPPED, "@MedMentorBot STATUS"), self._person(), context="confirm",
                              question=question)
        assert status.outcome == "status_sent"


class TestAnswersAndTheirQuestions:
    """asking.answered and question_about on odd data and edge cases found in review."""

    @pytest.mark.parametrize("question", [
        None, "not a dict", {"intent": "pause", "until": "garbage"}, {"intent": "pause", "until": 5},
        {"intent": "join", "role": "admin", "specialties": "cardiology", "capacity": "2"},
        {"intent": "join", "specialties": ["cardiology", 3], "capacity": True},
        {"intent": "decline", "match": True},
    ])
    def test_a_record_that_is_not_what_record_writes_gives_nothing(self, question) -> None:
        from mentorbot.domain.asking import answered
        intent = question.get("intent", "stop") if isinstance(question, dict) else "stop"
        cls = Classification(intent)
        merged, match = answered(cls, question)
        assert merged == cls and match is None

    def test_stop_and_delete_take_nothing_from_their_question(self) -> None:
        from mentorbot.domain.asking import answered, record
        guess = Classification("stop", role="mentor", stage="attending", capacity=2, guessed=True)
        merged, match = answered(Classification("stop"), record("stop", guess, "100", 7))
        assert merged == Classification("stop") and match is None

    def test_an_explicit_other_role_does_not_take_the_questions_profile(self) -> None:
        from mentorbot.domain.asking import answered, record
        guess = Classification("join", role="mentor", stage="attending", specialties=("geriatrics",),
                               capacity=1, guessed=True)
        answer = _read(SHIPPED, "@MedMentorBot I want a mentor, sign me up")
        assert answer.role == "mentee"
        merged, _ = answered(answer, record("join", guess, "100", None))
        assert (merged.role, merged.stage, merged.specialties, merged.capacity) == ("mentee", None, (), None)

    @pytest.mark.parametrize("capacity", [None, 2])
    def test_no_question_about_a_capacity_without_a_new_number(self, capacity) -> None:
        from mentorbot.domain.asking import NO_CHANGE, question_about
        now = datetime(2026, 1, 6, tzinfo=timezone.utc)
        mentor = Participant(campaign_id=CAMPAIGN.id, person_id="42", handle="drjane", role="mentor",
                             stage="attending", specialties=(), joined_at=now, consented_at=now, capacity=2)
        assert question_about(Classification("capacity", capacity=capacity, guessed=True), mentor,
                              open_matches=0) == NO_CHANGE
        assert question_about(Classification("capacity", capacity=3, guessed=True), mentor, open_matches=0) == "capacity"

    def test_no_question_about_ending_a_pair_when_it_is_unclear_which(self) -> None:
        from mentorbot.domain.asking import NO_CHANGE, question_about
        assert question_about(Classification("decline", guessed=True), None, open_matches=2,
                              match_known=False) == NO_CHANGE

    def test_an_old_question_is_not_looked_up(self, tmp_path: Path) -> None:
        from datetime import timedelta

        from mentorbot.adapters.sqlite_store import SQLiteStore
        from mentorbot.domain.records import Action
        from mentorbot.services.intake import _question
        store = SQLiteStore.open(tmp_path / "q.db")
        asked_at = datetime(2026, 1, 6, tzinfo=timezone.utc)
        store.record_event("asked", asked_at, campaign_id=CAMPAIGN.id, subject_id="42", source_post_id="100",
                           data={"source": "100", "intent": "pause", "until": "2026-01-20"})
        replied = Action(key="reply:100", campaign_id=CAMPAIGN.id, kind="reply", not_before=asked_at,
                         created_at=asked_at)
        assert _question(store, CAMPAIGN.id, "42", replied, asked_at + timedelta(days=1))["until"] == "2026-01-20"
        assert _question(store, CAMPAIGN.id, "42", replied, asked_at + timedelta(days=8)) is None
        assert _question(store, CAMPAIGN.id, "43", replied, asked_at + timedelta(days=1)) is None
        store.close()

    @pytest.mark.parametrize("text, expected", [
        ("PAUSE until Sunday, 1 February", date(2026, 2, 1)), ("pausa hasta el lunes 2 de febrero", date(2026, 2, 2)),
        ("PAUSE until monday 3 4", None), ("pause until sun 2 3", None),
    ])
    def test_a_weekday_before_a_date_must_be_that_dates(self, text, expected) -> None:
        got = RULES.classify(f"@MedMentorBot {text}", "", bot_handle=BOT, today=date(2026, 1, 6))
        assert got.intent == "pause" and got.pause_until == expected
