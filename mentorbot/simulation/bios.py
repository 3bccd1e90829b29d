"""#MedTwitter-style bios: "MS3 @ UCSF | future cardiologist | #FirstGen 🫀", or nothing at all.

Most bios say the person's stage and specialties; some say half, some are empty or only hobbies,
and the person's join post then says the rest. Identity hashtags appear in some bios (the bot must
drop them); they never reach the truth fields.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .lexicon import EMOJI, FLAGS, HOBBIES, PRONOUNS, SPECS, UNIVERSITIES
from .phrasing import aim, cap, field, fields, has_caps_term, identity_tag, weighted, who

if TYPE_CHECKING:  # pragma: no cover
    from .people import Draft

__all__ = ["bio_for"]


def _stage_segment(p: Draft) -> tuple[str, bool]:
    """A bio's opening: (text, whether it names the specialty too)."""
    rng, lang, n, g = p.rng, p.lang, p.year, p.gender
    F = cap(fields(p.units, lang, rng)) if p.units else ""
    goal = aim(p)
    then = ""  # an IM resident's goal, said after the stage
    if goal is not None:
        F = field(p.units[0], lang, rng)
        then = f", future {who(goal, rng)}" if lang == "en" else f" ({field(goal, lang, rng)})"
    I = p.inst[0]
    W = who(p.units[0], rng) if p.units else "physician"
    fem = g == "f"
    opts: list[tuple[str, bool]]
    if lang == "en":
        opts = {
            "premed": [(f"Pre-med @ {rng.choice(UNIVERSITIES)}", False), ("Aspiring physician", False),
                       ("postbacc, applying to med school this cycle", False),
                       (f"#premed | {rng.choice(UNIVERSITIES)}", False),
                       ("pre-med student. MCAT survivor", False)],
            "student": [(f"MS{n} @ {I}", False), (f"MS{n} at {I}", False), (f"{I} MS{n}", False),
                        (f"medical student @ {I}", False), (f"MD/PhD student @ {I}", False),
                        (f"OMS-{'I' * min(n, 3) if n < 4 else 'IV'} | DO student", False),
                        (f"Med student ({I})", False), (f"#MedStudentTwitter | MS{n}", False)],
            "resident": [(f"PGY-{n} {F} resident @ {I}{then}", True), (f"{F} resident, {I}{then}", True),
                         (f"PGY{n} @ {I}", False), (f"{F} resident physician{then}", True),
                         (f"resident doc @ {I}", False),
                         (f"Intern year, {F} @ {I}{then}", True) if n == 1
                         else (f"Chief resident, {F} @ {I}{then}", True) if n >= 3
                         else (f"{F} resident (PGY-{n}){then}", True)],
            "fellow": [(f"{F} fellow @ {I}", True), (f"Clinical fellow, {F} @ {I}", True),
                       (f"{F} fellowship @ {I}", True), (f"{F} fellow-in-training", True),
                       (f"first-year fellow, {F}", True) if n == 1 else (f"Chief fellow, {F} @ {I}", True)],
            "attending": [(f"Attending, {F} @ {I}", True), (f"Assistant Professor, {F} @ {I}", True),
                          (f"Board-certified {W}", len(p.units) == 1),
                          (f"Associate Professor of {F}, {I}", True), (f"Staff physician, {F}", True),
                          (f"Early career physician | {F}", True),
                          (f"{cap(W)} in private practice", len(p.units) == 1)],
            "senior": [(f"Professor of {F} @ {I}", True), (f"Program director, {F} residency @ {I}", True),
                       (f"Division chief, {F} @ {I}", True), (f"Associate Dean @ {I} | {F}", True),
                       (f"{F} clerkship director @ {I}", True), (f"Professor emeritus, {F}", True),
                       (f"Vice chair of education, {F}", True)],
        }[p.stage]
    elif lang == "es":
        ordinal = f"{n + 1 if p.stage == 'student' else n}º año"
        opts = {
            "premed": [(("Futura médica" if fem else "Futuro médico") + " 🩺", False), ("Aspirante a medicina", False)],
            "student": [(f"Estudiante de medicina ({ordinal})", False), (f"Estudiante de medicina @ {I}", False),
                        (("Interna" if fem else "Interno") + f" de medicina @ {I}", False), (f"MIP en {I}", False)],
            "resident": [(f"Residente de {F}{then} | {I}", True), (f"R{n} de {F}{then}", True),
                         (("Médica residente" if fem else "Médico residente") + f" de {F}{then}", True),
                         (f"MIR de {F}{then}", True)],
            "fellow": [(f"Residente de subespecialidad en {F}", True), (f"Fellow de {F} @ {I}", True)],
            "attending": [(("Médica adjunta" if fem else "Médico adjunto") + f" de {F} | {I}", True),
                          (("Médica especialista" if fem else "Médico especialista") + f" en {F}", True),
                          (f"FEA de {F}", True),
                          (("Profesora asistente" if fem else "Profesor asistente") + f" de {F}", True)],
            "senior": [(("Jefa" if fem else "Jefe") + f" de servicio de {F} | {I}", True),
                       (("Profesora titular" if fem else "Profesor titular") + f" de {F}", True),
                       (("Directora" if fem else "Director") + f" de programa, {F}", True)],
        }[p.stage]
    else:
        opts = {
            "premed": [(("Vestibulanda" if fem else "Vestibulando") + " de medicina 📚", False),
                       (("Futura médica" if fem else "Futuro médico") + " 🩺", False)],
            "student": [(f"Estudante de medicina @ {I}", False),
                        (("Acadêmica" if fem else "Acadêmico") + f" de medicina | {I}", False),
                        (f"Internato @ {I}", False), ("Sextanista de medicina", False)],
            "resident": [(f"Residente de {F}{then} | {I}", True), (f"R{n} de {F}{then} @ {I}", True),
                         (f"Fazendo residência em {F}{then}", True)],
            "fellow": [(("Especializanda" if fem else "Especializando") + f" em {F} | {I}", True)],
            "attending": [(("Médica assistente" if fem else "Médico assistente") + f" de {F} | {I}", True),
                          (("Preceptora" if fem else "Preceptor") + f" de {F}", True)],
            "senior": [(("Professora titular" if fem else "Professor titular") + f" de {F} | {I}", True),
                       (f"Chefe de serviço de {F}", True),
                       (("Coordenadora" if fem else "Coordenador") + f" da residência de {F}", True)],
        }[p.stage]
    text, has_field = rng.choice(opts)
    return text, has_field and bool(p.units)


def _field_segment(p: Draft) -> str:
    """The specialties, said the way people do in bios; all of them when there are several."""
    rng, lang = p.rng, p.lang
    unit, every = p.units[0], fields(p.units, lang, rng)
    if lang == "es":
        return rng.choice([cap(every), f"apasionad{'a' if p.gender == 'f' else 'o'} por {every}"])
    if lang == "pt":
        return rng.choice([cap(every), f"amo {every}"])
    if len(p.units) > 1:
        return rng.choice([cap(every), f"interested in {every}", f"{every} 💙"])
    single = len(unit.ids) == 1  # "future peds heme/onc doc" reads oddly; combined terms are said plainly
    if p.stage in ("attending", "senior", "fellow"):
        return rng.choice([cap(who(unit, rng)) if single else cap(every), cap(every),
                           rng.choice(unit.tags or (cap(every),))])
    opts = [f"{cap(field(unit, lang, rng))} curious", f"interested in {every}", f"{every} 💙",
            rng.choice(unit.tags) if unit.tags else f"{cap(every)}!", f"dreaming of {every}"]
    if single:
        opts.append(f"future {who(unit, rng)}")
    return rng.choice(opts)


def _extras(p: Draft) -> list[str]:
    rng, lang = p.rng, p.lang
    out = []
    if rng.random() < 0.55:
        out.append(", ".join(rng.sample(HOBBIES[lang], rng.choice((1, 1, 2, 3)))))
    if rng.random() < 0.22:
        out.append(identity_tag(rng, p.gender))
    if rng.random() < 0.15 and lang == "en":
        out.append(rng.choice(PRONOUNS[p.gender]))
    if lang != "en" and rng.random() < 0.6:
        out.append(FLAGS.get(p.zone.key, ""))
    if rng.random() < 0.35:
        out.append(rng.choice(EMOJI))
    if p.stage in ("attending", "senior", "fellow") and rng.random() < 0.3 and lang == "en":
        out.append(rng.choice(("Views my own.", "Tweets my own.", "RT ≠ endorsement", "Opinions my own")))
    if rng.random() < 0.1:
        out.append(rng.choice(("#MedTwitter", "#MedEd", "#FOAMed")))
    return [e for e in out if e]


def _bio(p: Draft) -> tuple[str, bool, bool]:
    """(bio, says the stage, says the specialties). Some bios say only half, or nothing."""
    rng = p.rng
    mode = weighted(rng, (("full", 70), ("stage", 8), ("field", 7), ("none", 15)))
    if not p.units and mode == "field":
        mode = "stage"
    segments: list[str] = []
    says_stage = says_field = False
    if mode in ("full", "stage"):
        text, with_field = _stage_segment(p)
        if mode == "stage" and with_field:
            text, with_field = _stage_segment(p)  # one more try at a segment without the specialty
        segments.append(text)
        says_stage, says_field = True, with_field
    if p.units and mode in ("full", "field") and not says_field:
        segments.append(_field_segment(p))
        says_field = True
    if mode == "none" and rng.random() < 0.5:
        return "", False, False
    extras = _extras(p)
    segments += extras
    sep = rng.choice((" | ", " | ", ". ", " • ", " · ", ", "))
    bio = sep.join(segments)
    while len(bio) > 160 and len(segments) > 1:
        segments.pop()
        bio = sep.join(segments)
    if rng.random() < 0.08 and not has_caps_term(bio):
        bio = bio.lower()
    _count_meded(p, bio)
    return bio[:160], says_stage, says_field


def _count_meded(p: Draft, bio: str) -> None:
    """#MedEd names a specialty (medical education): whoever writes it is interested in it."""
    if "#meded" in bio.casefold() and not any("medical_education" in u.ids for u in p.units):
        p.units = p.units + (SPECS["medical_education"],)


def _bystander_bio(d: Draft) -> tuple[str, bool, bool]:
    if d.stage is not None:
        return _bio(d)
    rng = d.rng
    # People who are not physicians; the specialty their words name is their truth too.
    text, spec = rng.choice({
        "en": (("ICU nurse. Coffee first.", "critical_care"), ("PA-C | #MedTwitter lurker", None),
               ("Patient advocate. Living with lupus since 2015.", None), ("Health reporter. DMs open.", None),
               ("Public health researcher | #EpiTwitter", "public_health"), ("Med school admissions coach", None),
               ("Nurse practitioner, proud aunt", None), ("Hospital chaplain", None),
               ("Admissions advisor @ a state school", None), ("Respiratory therapist 🫁", None),
               ("Medical librarian 📚", None), ("Science writer", None)),
        "es": (("Enfermera de UCI ☕", "critical_care"), ("Periodista de salud", None),
               ("Investigadora en salud pública", "public_health")),
        "pt": (("Enfermeira 💙", None), ("Jornalista de saúde", None),
               ("Pesquisadora em saúde coletiva", "public_health")),
    }[d.lang])
    if spec:
        d.units = (SPECS[spec],)
    bio = " | ".join([text] + _extras(d))[:160]
    _count_meded(d, bio)
    return bio, False, False


def bio_for(d: Draft) -> tuple[str, bool, bool]:
    if d.kind == "troll":
        return d.rng.choice(("Just asking questions.", "Medicine is a business. Wake up.", "Contrarian. Unfollow me.",
                             "", "Hot takes, cold coffee.")), False, False
    if d.kind == "spammer":
        return d.rng.choice(("💰 Crypto | NFT | 100x 🚀 DM for collabs", "Daily signals. Not financial advice 😉",
                             "Promo & growth services. DM for rates 📈")), False, False
    if d.kind == "bot":
        return d.rng.choice(("Automated account. Daily digest of #MedTwitter hashtags.",
                             "🤖 Bot. I count hashtags so you don't have to. Automated.",
                             "Automated news bot. Not monitored.")), False, False
    if d.kind == "bystander":
        return _bystander_bio(d)
    return _bio(d)
