"""How many posts a second the classifier reads, on one core.

Every post that mentions the bot goes through ``Classifier.classify`` with its author's bio, so
the classifier must stay cheap even for a busy campaign (target: 20,000 lines a second).
The lines are generated, seeded, from realistic templates filled with the vocabulary's own words,
so that words, lengths, languages, emoji, hashtags and capitals vary as they do on X.
Posts come from a population of authors (each with one bio, as on X: a campaign hears from the
same people again and again); a second run gives every line its own bio, the worst case.

Run: python benchmarks/classify.py [N] [AUTHORS]   (default 100,000 lines, 10,000 authors)
"""
from __future__ import annotations

import random
import sys
import time

from mentorbot.config.vocabulary import load_vocabulary
from mentorbot.config.classifier import build_classifier

TEXTS = (
    "@MedMentorBot #MedMentorMatch {stage} here, looking for a {spec} mentor! {emoji}",
    "@MedMentorBot #MedMentorMatch Hi! I'm a {stage} interested in {spec}. Would love a mentor 🙏",
    "I'm in, happy to take {n} mentees interested in {spec}",
    "Count me in! {spec} {stage}, can take {n}",
    "@MedMentorBot busco mentora en {spec}, soy {stage} #MedMentorMatch",
    "@MedMentorBot procuro mentor em {spec} #MedMentorMatch {emoji}",
    "@MedMentorBot STOP",
    "@MedMentorBot pause until Jan {day}",
    "@MedMentorBot capacity {n}",
    "@MedMentorBot delete my data",
    "@MedMentorBot help",
    "Going great {emoji}",
    "not a fit, sorry",
    "Matched into {spec}!!! {emoji} #MedMentorMatch #Match2026",
    "Our abstract was accepted at #{tag}! First time presenting #MedMentorMatch",
    "Can't stop smiling, passed Step {day} {emoji}",
    "Long night on call, {spec} consults all night @{handle} https://t.co/{handle}",
    "Great grand rounds today on {spec} by @{handle} #MedTwitter #{tag}",
    "My mentor is amazing, grateful every day #{tag}",
    "@{handle} @MedMentorBot not looking for a mentor right now but love this",
    "{upper}",
)
BIOS = (
    "{stage} @{handle} | aspiring {spec} | she/her | #{identity}",
    "{spec} {stage}. Views my own. {emoji}",
    "{stage} | {spec} | #{tag} | runner, dog mom",
    "Estudiante de medicina | futura {spec} | #{identity}",
    "MD, {stage} in {spec} at {handle} University. Tweets about #MedEd, wellness, and coffee.",
    "",
    "Proud #{identity} | {stage} | he/him | https://example.org/{handle}",
)
EMOJI = ("🎉", "👍", "🙌", "🫀", "🧠", "😅", "", "💙")
TAGS = ("CardioTwitter", "MedTwitter", "ACC26", "SoMe4Surgery", "MedEd", "IDTwitter", "FOAMed")


def lines(count: int, authors: int | None = 10_000, seed: int = 7) -> list[tuple[str, str, str | None]]:
    """``count`` generated (text, bio, context) triples, the same for the same seed.

    ``authors`` bios are shared among the lines; None gives every line a bio of its own.
    """
    vocabulary = load_vocabulary()
    rng = random.Random(seed)
    specs = [t for s in vocabulary.specialties for t in s.terms()]
    stages = [w for s in vocabulary.stages for w in s.words]
    identity = sorted(vocabulary.identity_hashtags)
    out: list[tuple[str, str, str | None]] = []
    bios: list[str] = []
    for _ in range(count):
        fill = {
            "stage": rng.choice(stages), "spec": rng.choice(specs), "n": rng.randint(1, 4),
            "day": rng.randint(1, 28), "emoji": rng.choice(EMOJI), "tag": rng.choice(TAGS),
            "handle": f"user{rng.randint(1, 10**6)}", "identity": rng.choice(identity),
        }
        fill["upper"] = f"LOOKING FOR A {fill['spec'].upper()} MENTOR, {fill['stage'].upper()} HERE"
        text = rng.choice(TEXTS).format(**fill)
        if authors is None or len(bios) < authors:
            bio = rng.choice(BIOS).format(**fill)
            bios.append(bio)
        else:
            bio = rng.choice(bios)
        context = rng.choice((None, None, None, "call", "intro", "checkin"))
        out.append((text, bio, context))
    return out


def run(count: int, authors: int | None) -> float:
    """Lines per second (CPU time of this process, so other processes do not count)."""
    classifier = build_classifier(load_vocabulary())
    work = lines(count, authors)
    started = time.process_time()
    for text, bio, context in work:
        classifier.classify(text, bio, context=context)
    elapsed = time.process_time() - started
    rate = count / elapsed
    who = f"{authors:,} authors" if authors else "a new bio on every line"
    print(f"{count:,} lines ({who}) in {elapsed:.2f} s CPU: {rate:,.0f} lines/s on one core")
    return rate


def calibrate() -> float:
    """Microseconds for ``sum(range(1000))`` here: how fast this machine runs plain Python."""
    started = time.process_time()
    for _ in range(2000):
        sum(range(1000))
    return (time.process_time() - started) / 2000 * 1e6


def main(count: int = 100_000, authors: int = 10_000) -> None:
    print(f"calibration: sum(range(1000)) takes {calibrate():.1f} µs on this machine")
    run(count, authors)
    run(count, None)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
