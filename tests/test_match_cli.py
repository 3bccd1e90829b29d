"""`mentorbot match`: a cohort file in, one line per mentee out, a summary on stderr."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from mentorbot.cli import cli

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "config" / "campaigns" / "medmentormatch.toml"

PEOPLE = [
    {"id": "ana", "role": "mentee", "stage": "student", "specialties": ["cardiology"]},
    {"id": "ben", "role": "mentee", "stage": "premed", "specialties": ["pediatrics"], "exclude": ["dr_p"]},
    {"id": 7, "role": "mentee", "stage": "fellow", "specialties": ["nephrology"]},
    {"id": "dee", "role": "mentee", "stage": "senior", "specialties": []},  # nobody is above her
    {"id": "dr_c", "role": "mentor", "stage": "attending", "specialties": ["cardiology", "internal_medicine"],
     "capacity": 2},
    {"id": "dr_p", "role": "mentor", "stage": "resident", "specialties": ["pediatrics"], "capacity": 1},
    {"id": "dr_n", "role": "mentor", "stage": "senior", "specialties": ["nephrology"]},
]


@pytest.fixture(autouse=True)
def _in_empty_dir(tmp_path, monkeypatch, restore_cli_logging):
    monkeypatch.chdir(tmp_path)


def _write(path: Path, rows) -> Path:
    path.write_text("".join((row if isinstance(row, str) else json.dumps(row)) + "\n" for row in rows),
                    encoding="utf-8")
    return path


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["match", *args], catch_exceptions=False)


def _lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


class TestMatchCommand:
    def test_writes_one_line_per_mentee_in_input_order_with_reasons(self, tmp_path):
        """Every mentee gets a line; the matched ones name a mentor, a score and the reasons."""
        result = _run("--input", str(_write(tmp_path / "people.jsonl", PEOPLE)), "--campaign", str(EXAMPLE))
        assert result.exit_code == 0, result.output
        lines = _lines(result.stdout)
        assert [line["mentee"] for line in lines] == ["ana", "ben", "7", "dee"]
        by_mentee = {line["mentee"]: line for line in lines}
        assert by_mentee["ana"]["mentor"] == "dr_c"
        assert "shared specialty: cardiology (+3.0)" in by_mentee["ana"]["reasons"]
        assert by_mentee["7"]["mentor"] == "dr_n"
        assert by_mentee["ben"]["mentor"] in ("dr_c", "dr_n")  # dr_p fits best but is excluded
        assert by_mentee["dee"] == {"mentee": "dee", "mentor": None, "score": None, "reasons": []}

    def test_summarises_matched_share_score_and_loads_and_says_what_it_did(self, tmp_path):
        """stderr: matched share, mean score, load mean/max/Gini, then one closing line."""
        result = _run("--input", str(_write(tmp_path / "people.jsonl", PEOPLE)), "--campaign", str(EXAMPLE))
        err = result.stderr.splitlines()
        assert err[-2].startswith("matched 3 of 4 mentees (75.0%); mean score ")
        assert "mentor load mean 1.00, max 2, Gini 0.444 (3 mentors)" in err[-2]  # loads 2, 1, 0
        assert err[-1].startswith("Matched 3 of 4 mentee(s) with 3 mentor(s) in ")
        assert err[-1].endswith("wrote 4 line(s) to stdout.")

    def test_writes_the_output_file_and_nothing_on_stdout(self, tmp_path):
        """--output takes the pairs; stdout stays empty."""
        out = tmp_path / "pairs.jsonl"
        result = _run("--input", str(_write(tmp_path / "people.jsonl", PEOPLE)), "--output", str(out))
        assert result.exit_code == 0 and result.stdout == ""
        assert len(_lines(out.read_text(encoding="utf-8"))) == 4

    def test_applies_the_campaign_cap_on_each_mentors_load(self, tmp_path):
        """A campaign with mentees_per_mentor = 1 lets a mentor offering 3 take one mentee."""
        campaign = tmp_path / "strict.toml"
        text = EXAMPLE.read_text(encoding="utf-8")
        assert "mentees_per_mentor = 3" in text
        campaign.write_text(text.replace("mentees_per_mentor = 3", "mentees_per_mentor = 1")
                            .replace("default_mentor_capacity = 2", "default_mentor_capacity = 1"),
                            encoding="utf-8")
        people = [{"id": f"s{i}", "role": "mentee", "stage": "student", "specialties": []} for i in range(3)]
        people.append({"id": "m", "role": "mentor", "stage": "attending", "specialties": [], "capacity": 3})
        result = _run("--input", str(_write(tmp_path / "people.jsonl", people)), "--campaign", str(campaign))
        assert [line["mentor"] for line in _lines(result.stdout)] == ["m", None, None]

    def test_uses_built_in_defaults_and_says_so_without_a_campaign_file(self, tmp_path):
        """Run outside a project (no config/campaigns/): defaults, announced on stderr."""
        result = _run("--input", str(_write(tmp_path / "people.jsonl", PEOPLE)))
        assert result.exit_code == 0
        assert "using the built-in matching defaults" in result.stderr
        assert len(_lines(result.stdout)) == 4

    def test_a_bad_line_stops_everything_and_names_each_line_number(self, tmp_path):
        """Bad lines are errors, never skipped: all are listed by number; no output file appears."""
        rows = [PEOPLE[0], "not json", {"id": "x", "role": "boss"}, PEOPLE[4],
                {"id": "y", "role": "mentee", "stage": "student", "specialties": ["astrology"]},
                {"id": "ana", "role": "mentee", "stage": "student"},
                {"id": "z", "role": "mentor", "stage": "senior", "capacity": -1}]
        out = tmp_path / "pairs.jsonl"
        result = _run("--input", str(_write(tmp_path / "people.jsonl", rows)), "--output", str(out))
        assert result.exit_code == 1
        assert "nothing matched" in result.stderr
        for expected in ("line 2: not JSON", 'line 3: "role" must be "mentor" or "mentee"',
                         'line 5: unknown specialty id(s) "astrology"', "line 6: id 'ana' already used on line 1",
                         'line 7: "capacity" must be a whole number'):
            assert expected in result.stderr
        assert "line 1:" not in result.stderr and "line 4:" not in result.stderr
        assert not out.exists()

    def test_reports_each_phase_for_a_large_cohort(self, tmp_path):
        """From a thousand people on, reading and solving each print a line with their time."""
        people = [{"id": f"e{i}", "role": "mentee", "stage": "student", "specialties": ["cardiology"]}
                  for i in range(900)]
        people += [{"id": f"m{i}", "role": "mentor", "stage": "attending", "specialties": ["cardiology"],
                    "capacity": 3} for i in range(300)]
        result = _run("--input", str(_write(tmp_path / "people.jsonl", people)), "--campaign", str(EXAMPLE))
        assert "read 900 mentees and 300 mentors in " in result.stderr
        assert "solved in " in result.stderr
        assert "matched 900 of 900 mentees (100.0%)" in result.stderr
        assert "max 3, Gini 0.000" in result.stderr  # 900 mentees on 300 mentors: three each
