"""Corrections: only a reply to the confirmation that itself states a stage or specialty."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from mentorbot.config import load_campaign, load_vocabulary
from mentorbot.domain.classify import Classifier
from mentorbot.domain.model import Post, User
from mentorbot.domain.records import Participant
from mentorbot.domain.registration import Facts, decide

VOCAB = load_vocabulary()
CAMPAIGN = load_campaign(Path(__file__).resolve().parents[1] / "config/campaigns/medmentormatch.toml", VOCAB)
NOW = datetime(2026, 1, 6, 15, 0, tzinfo=timezone.utc)
AUTHOR = User(id="42", username="drjane", description="MS3 | future cardiologist")
JANE = Participant(campaign_id=CAMPAIGN.id, person_id="42", handle="drjane", role="mentee", stage="student",
                   specialties=("cardiology",), joined_at=NOW, consented_at=NOW)


def _decide(text: str):
    cls = Classifier(VOCAB).classify(text, AUTHOR.description, bot_handle=CAMPAIGN.bot_handle)
    post = Post(id="100", text=text, author_id="42", created_at=NOW, replied_to_id="7")
    return decide(post, AUTHOR, cls, campaign=CAMPAIGN, vocabulary=VOCAB,
                  facts=Facts(now=NOW, participant=JANE, context="confirm"))


def test_a_reply_stating_a_new_stage_corrects_the_profile_and_reconfirms() -> None:
    """'Actually I'm a PGY-2 in EM' updates the stage and specialties, with one new confirmation."""
    decision = _decide("@MedMentorBot actually I'm a PGY-2 in EM")
    assert decision.outcome == "corrected"
    assert decision.participant.stage == "resident"
    assert "emergency_medicine" in decision.participant.specialties
    assert len(decision.actions) == 1 and decision.actions[0].in_reply_to == "100"


def test_a_chatty_reply_is_not_taken_for_a_correction_from_the_bio() -> None:
    """The bio alone never turns a thank-you into a profile correction (no second welcome)."""
    decision = _decide("@MedMentorBot can't stop telling my classmates about this!")
    assert decision.outcome == "ignored:no_intent"
    assert decision.actions == () and decision.participant is None
