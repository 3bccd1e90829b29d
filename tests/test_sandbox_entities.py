"""Entities parsed at creation: indices slice the stored text exactly, as X's do."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mentorbot.sandbox.entities import parse_text

_PIECES = st.sampled_from(["@MedMentorBot", "@dr_jane", "#MedMentorMatch", "#MedEd2026", "https://nejm.org/a?b=1",
                           "www.example.com", "héllo", "\U0001F389", "MS3", "cardio,", "(#Peds)", "a@b.com",
                           "#2026", "@@x", "\n"])


def _shorten(url: str) -> str:
    return "https://t.co/" + str(abs(hash(url)) % 10**10).zfill(10)


class TestEntities:
    @settings(max_examples=150, deadline=None)
    @given(st.lists(_PIECES, max_size=12), st.booleans())
    def test_entity_indices_slice_the_stored_text(self, pieces, shorten):
        """Every mention, hashtag and URL entity's [start:end] is its own text in the stored post."""
        parsed = parse_text(" ".join(pieces), user_id=lambda name: "1" if name.lower() == "medmentorbot" else None,
                            shorten=_shorten if shorten else None)
        for mention in parsed.entities.get("mentions", []):
            assert parsed.text[mention["start"]:mention["end"]].lower() == "@" + mention["username"].lower()
            assert ("id" in mention) == (mention["username"].lower() == "medmentorbot")
        for tag in parsed.entities.get("hashtags", []):
            assert parsed.text[tag["start"]:tag["end"]] == "#" + tag["tag"]
            assert not tag["tag"].isdigit()
        for url in parsed.entities.get("urls", []):
            assert parsed.text[url["start"]:url["end"]] == url["url"]
            assert url["url"].startswith("https://t.co/") == shorten
        assert parsed.has_links == bool(parsed.entities.get("urls"))
        assert set(parsed.mentions) == {m["username"].lower() for m in parsed.entities.get("mentions", [])}

    def test_links_are_wrapped_and_mentions_inside_emails_are_not_mentions(self):
        """A link becomes a t.co link; "a@b.com" mentions nobody; hashtags need a letter."""
        parsed = parse_text("Mail a@b.com, see nejm.org #2026 #Match2026", user_id=lambda name: None,
                            shorten=_shorten)
        assert parsed.mentions == () and parsed.hashtags == ("match2026",)
        assert parsed.entities["urls"][0]["expanded_url"] == "http://nejm.org"
        assert parsed.text.startswith("Mail a@b.com, see https://t.co/")
