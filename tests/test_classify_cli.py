"""`mentorbot classify`: one JSON line out per line in, exactly what json.dumps would write."""
from __future__ import annotations

import io
import json

from mentorbot.classify_cli import classify_lines
from mentorbot.config.vocabulary import load_vocabulary
from mentorbot.domain.classify import Classifier

POSTS = [
    {"id": 1, "text": "@MedMentorBot #MedMentorMatch MS3, looking for a cardiology mentor!", "bio": "MS3 | she/her"},
    {"id": "a-ñ", "text": "Count me in! Happy to take 2 mentees in EM", "bio": "EM attending"},
    {"id": 3.5, "text": "@MedMentorBot STOP"},
    {"id": None, "text": "heme/onc fellow, looking for a mentor", "bio": None},
    {"id": [1, "x"], "text": "Matched into peds!!! 🎉 #MedMentorMatch", "bio": 7},
    {"text": "pause until January 15"},
]


def run(lines: list[str], **options) -> tuple[list[str], object]:
    sink = io.StringIO()
    counts = classify_lines(io.StringIO("".join(lines)), sink, **options)
    return sink.getvalue().splitlines(keepends=True), counts


class TestEveryLineIsAnswered:
    def test_each_line_is_the_json_of_its_classification(self):
        """Ids of any JSON type, missing or odd bios: the line json.dumps writes, in input order."""
        classify = Classifier(load_vocabulary()).classify
        many = POSTS * 300  # more than one batch of writes
        out, counts = run([json.dumps(p, ensure_ascii=False) + "\n" for p in many])
        expected = []
        for p in many:
            bio = p.get("bio") if isinstance(p.get("bio"), str) else ""
            c = classify(p["text"], bio)
            expected.append(json.dumps({"id": p.get("id"), "intent": c.intent, "role": c.role, "stage": c.stage,
                                        "specialties": sorted(c.specialties)}, ensure_ascii=False) + "\n")
        assert out == expected
        assert (counts.lines, counts.errors) == (len(many), 0)

    def test_evidence_is_added_when_asked(self):
        """--evidence: the words behind each decision, as a JSON list at the end of the line."""
        out, _ = run([json.dumps(POSTS[0]) + "\n"], evidence=True)
        line = json.loads(out[0])
        assert list(line) == ["id", "intent", "role", "stage", "specialties", "evidence"]
        assert any(e.startswith("intent:join") for e in line["evidence"])

    def test_unreadable_lines_get_an_error_line_and_the_rest_go_on(self):
        """Not JSON, not an object, no text, trailing data: an error naming the line; blank lines skipped."""
        lines = ["not json\n", "\n", "[1, 2]\n", '{"id": 1}\n', '{"id": 2, "text": "help"} extra\n',
                 '  {"id": 3, "text": "help"}  \r\n', '{"id": 4, "text": "help"}']
        out, counts = run(lines)
        errors = [json.loads(line)["error"] for line in out if "error" in json.loads(line)]
        assert [e.split(":")[0] for e in errors] == ["line 1", "line 3", "line 4", "line 5"]
        assert [json.loads(line)["id"] for line in out if "intent" in json.loads(line)] == [3, 4]
        assert (counts.lines, counts.errors) == (6, 4)
