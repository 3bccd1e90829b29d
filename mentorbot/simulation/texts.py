"""What people write to the bot: join requests, answers to calls, commands, NEW MENTOR, check-ins.

Each function returns one text drawn from ``rng``, in the person's language (English, Spanish,
Portuguese); the caller makes texts unique per author (X refuses a duplicate).
"""
from __future__ import annotations

import random
from datetime import date

from .lexicon import UNIVERSITIES
from .people import Profile
from .phrasing import (Voice, aim, article, cap1, emoji, field, gendered, has_caps_term, identity_tag,
                       reply_prefix, spec_words, tidy, who)

__all__ = ["join", "call_reply", "command", "decline", "checkin_answer"]


_MONTHS = {
    "en": "January February March April May June July August September October November December".split(),
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split(),
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro".split(),
}
_NUM = {"en": {1: "one", 2: "two", 3: "three"}, "es": {1: "uno", 2: "dos", 3: "tres"},
        "pt": {1: "um", 2: "dois", 3: "três"}}


def _stage_words(p: Profile, rng: random.Random, F: str) -> str:
    """How a person states their stage in a post; some forms name the specialty ``F`` too."""
    n, lang = p.year, p.lang
    if aim(p) is not None:
        F = field(p.units[0], lang, rng)  # "PGY-2 IM resident": the goal is said elsewhere
    if lang == "en":
        ordinal = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th"}.get(n, f"{n}th")
        return rng.choice({
            "premed": ["pre-med here", "premed student", "aspiring physician", "postbacc applying to med school",
                       f"pre-med at {rng.choice(UNIVERSITIES)}"],
            "student": [f"MS{n} here", f"MS{n} at {p.inst[0]}", f"{ordinal} year med student",
                        f"med student at {p.inst[0]}", "MD/PhD student"],
            "resident": [f"PGY-{n} resident", f"PGY{n} here",
                         f"{F} resident at {p.inst[0]}" if F else "resident here",
                         "intern (PGY-1)" if n == 1 else f"PGY-{n} {F} resident" if F else f"PGY-{n} resident"],
            "fellow": [f"first-year {F} fellow" if F else "clinical fellow",
                       f"clinical fellow in {F or 'medicine'}",
                       f"in {F} fellowship" if F else "in fellowship"],
            "attending": [f"{F} attending" if F else "attending",
                          f"{who(p.units[0], rng)} at {p.inst[0]}" if p.units else "attending physician",
                          f"assistant professor of {F}" if F else "assistant professor",
                          f"board-certified {who(p.units[0], rng)}" if p.units else "board-certified physician"],
            "senior": [f"program director in {F}" if F else "program director",
                       f"professor of {F}" if F else "professor",
                       f"{F} division chief" if F else "division chief",
                       "clerkship director" + (f", {F}" if F else "")],
        }[p.stage])
    if lang == "es":
        return rng.choice({
            "premed": [gendered(p, "futura médica", "futuro médico"), "aspirante a medicina"],
            "student": [f"estudiante de medicina de {n + 1}º año", f"estudiante de medicina en {p.inst[0]}",
                        gendered(p, "interna", "interno") + " de medicina"],
            "resident": [f"residente de {F}" if F else "residente",
                         gendered(p, "médica residente", "médico residente")],
            "fellow": [f"fellow de {F}" if F else "residente de subespecialidad",
                       f"residente de subespecialidad en {F}" if F else "residente de subespecialidad"],
            "attending": [gendered(p, "médica adjunta", "médico adjunto") + (f" de {F}" if F else ""),
                          gendered(p, "médica especialista", "médico especialista") + (f" en {F}" if F else "")],
            "senior": [gendered(p, "jefa", "jefe") + " de servicio" + (f" de {F}" if F else ""),
                       gendered(p, "profesora titular", "profesor titular") + (f" de {F}" if F else "")],
        }[p.stage])
    return rng.choice({
        "premed": [gendered(p, "vestibulanda", "vestibulando") + " de medicina",
                   gendered(p, "futura médica", "futuro médico")],
        "student": [f"estudante de medicina ({n + 1}º ano)",
                    gendered(p, "acadêmica", "acadêmico") + " de medicina"],
        "resident": [f"residente de {F}" if F else "residente", f"R{n} de {F}" if F else "residente"],
        "fellow": [gendered(p, "especializanda", "especializando") + (f" em {F}" if F else "")],
        "attending": [gendered(p, "médica assistente", "médico assistente") + (f" de {F}" if F else ""),
                      gendered(p, "preceptora", "preceptor") + (f" de {F}" if F else "")],
        "senior": [gendered(p, "professora titular", "professor titular") + (f" de {F}" if F else ""),
                   "chefe de serviço" + (f" de {F}" if F else "")],
    }[p.stage])


def _ask(p: Profile, rng: random.Random, with_field: bool) -> str:
    goal = aim(p)
    F = (field(goal, p.lang, rng) if goal else spec_words(p, rng)) if with_field and p.units else ""
    if p.lang == "en":
        if F:
            return rng.choice([f"looking for {article(F)} {F} mentor!", f"would love a mentor in {F}",
                               f"hoping to find a mentor in {F} 🙏", f"interested in {F}, would love some guidance",
                               f"anyone in {F} up for mentoring me?", f"lookin for {article(F)} {F} mentor pls"])
        return rng.choice(["looking for a mentor!", "sign me up", "count me in!", "I'd love a mentor 🙌",
                           "would love to be matched with a mentor", "please match me with a mentor",
                           "how do I join? I want a mentor"])
    if p.lang == "es":
        if F:
            return rng.choice([f"busco mentor en {F}", f"busco mentora de {F}", f"me encantaría tener mentor en {F}",
                               f"me interesa {F}, busco mentoría"])
        return rng.choice(["me apunto!", "quiero participar 🙋", "busco mentor/a", "quiero un mentor"])
    if F:
        return rng.choice([f"procuro mentor em {F}", f"queria muito uma mentora de {F}",
                           f"tenho interesse em {F} e procuro mentoria"])
    return rng.choice(["quero participar!", "procuro um mentor 🙏", "me inscreve!", "quero uma mentora"])


def _offer(p: Profile, rng: random.Random, capacity: int | None) -> tuple[str, str]:
    """A mentor's offer and how many mentees they say they can take ("" when unsaid)."""
    lang = p.lang
    c = "" if capacity is None else (_NUM[lang][capacity] if rng.random() < 0.3 else str(capacity))
    if lang == "en":
        offer = rng.choice(["happy to mentor", "would love to mentor", "count me in as a mentor",
                            "glad to mentor students and residents", "happy to pay it forward as a mentor",
                            "I can mentor"])
        cap = rng.choice([f"can take {c} mentees", f"{c} mentees max", f"room for {c}", f"capacity {c}",
                          f"up to {c} mentees"]) if c else ""
        if c in ("1", "one"):
            cap = rng.choice([f"can take {c} mentee", f"room for {c} mentee", f"capacity {c}"])
    elif lang == "es":
        offer = rng.choice([gendered(p, "con gusto seré mentora", "con gusto seré mentor"),
                            "cuenten conmigo como mentor/a",
                            gendered(p, "me encantaría ser mentora", "me encantaría ser mentor")])
        cap = rng.choice([f"puedo con {c}", f"hasta {c} mentorados"]) if c else ""
    else:
        offer = rng.choice([gendered(p, "posso ser mentora", "posso ser mentor"),
                            gendered(p, "quero ajudar como mentora", "quero ajudar como mentor"),
                            gendered(p, "topo ser mentora", "topo ser mentor")])
        cap = rng.choice([f"até {c} mentorados", f"posso pegar {c}"]) if c else ""
    return offer, cap


_AGAIN = {"en": ["did this work? ", "trying again: ", "not sure my first post went through: "],
          "es": ["¿funcionó? ", "de nuevo: "], "pt": ["deu certo? ", "de novo: "]}


def join(rng: random.Random, p: Profile, v: Voice, *, again: bool = False) -> str:
    """A post asking to join: everything the bio leaves out is said here (and often more)."""
    say_stage = not p.bio_stage or rng.random() < 0.5
    say_field = bool(p.units) and (not p.bio_field or rng.random() < 0.6)
    F = spec_words(p, rng)
    stage = _stage_words(p, rng, F) if say_stage else ""
    tag = v.tag if rng.random() < 0.9 else ""  # the hashtag is often, not always, there
    if p.persona.kind == "mentor":
        offer, cap = _offer(p, rng, p.persona.capacity)
        bits = ", ".join(b for b in (offer, stage, cap) if b)
        text = rng.choice([f"{v.bot} {tag} {bits}", f"{v.bot} {bits} {tag}", f"{cap1(bits)} {v.bot} {tag}"])
        if say_field and not _names_all(p, text):
            text += f" ({F})"
    else:
        ask = _ask(p, rng, say_field)
        if again:
            ask = rng.choice(_AGAIN[p.lang]) + ask
            forms = [f"{v.bot} {ask}" + (f" ({stage})" if stage else "") + f" {tag}"]
        elif p.lang == "en" and stage:
            forms = [f"{v.bot} {tag} {stage}, {ask}", f"{v.bot} {stage}, {ask} {tag}",
                     f"Hi {v.bot}! {cap1(stage)}. {cap1(ask)} {tag}", f"{tag} {v.bot} {ask} ({stage})"]
        elif p.lang == "en":
            forms = [f"{v.bot} {ask} {tag}", f"{v.bot} {tag} {ask}", f"{tag} {v.bot} {ask}"]
        elif p.lang == "es":
            forms = [f"Hola {v.bot}! Soy {stage} y {ask} {tag}", f"{v.bot} {tag} {stage}, {ask}"] if stage else \
                [f"{v.bot} {tag} {ask}", f"Hola {v.bot}! {cap1(ask)} {tag}"]
        else:
            forms = [f"Oi {v.bot}! Sou {stage} e {ask} {tag}", f"{v.bot} {tag} {stage}, {ask}"] if stage else \
                [f"{v.bot} {tag} {ask}", f"Oi {v.bot}! {cap1(ask)} {tag}"]
        text = rng.choice(forms)
    text = tidy(text) + emoji(rng, 0.3)
    if rng.random() < 0.06:
        text += " " + identity_tag(rng, p.gender)
    if p.lang == "en" and rng.random() < 0.06 and _safe_to_shout(text, v):
        text = text.upper()  # SOME PEOPLE TYPE LIKE THIS
    return text


def _names_all(p: Profile, text: str) -> bool:
    """True when ``text`` already names each of the person's specialties in some form."""
    low = text.casefold()
    return all(any(w.casefold() in low for w in (*u.en, *u.who, *u.es, *u.pt)) for u in p.units)


# Lower-case words that become a vocabulary term in capitals ("id" -> ID, infectious disease).
_SHOUT_TRAPS = {"do", "id", "im", "em", "md", "ob", "gi", "ir", "fm", "gp", "pd", "ent", "icu", "ms"}


def _safe_to_shout(text: str, v: Voice) -> bool:
    rest = text.replace(v.bot, "").replace(v.tag, "")
    words = {w.strip("!?.,:;()'\"").lower() for w in rest.split()}
    return not has_caps_term(rest) and not words & _SHOUT_TRAPS


def call_reply(rng: random.Random, p: Profile, v: Voice) -> str:
    """A mentor answering the bot's call for mentors, in reply to it."""
    offer, cap = _offer(p, rng, p.persona.capacity)
    F = spec_words(p, rng)
    pre = reply_prefix(rng, v)
    tag = f" {v.tag}" if rng.random() < 0.3 else ""
    stage = _stage_words(p, rng, F) if not p.bio_stage or rng.random() < 0.3 or p.lang != "en" else ""
    if p.lang == "en":
        forms = [f"I'm in{', ' + cap if cap else '!'}", "Happy to help" + (f", {cap}" if cap else "!"),
                 cap1(offer) + (f", {cap}" if cap else "")]
        if F:
            forms += [f"Count me in. {cap1(F)}" + (f", {cap}." if cap else "."),
                      f"Yes! Would love to mentor someone interested in {F}." + (f" {cap1(cap)}." if cap else "")]
        text = pre + rng.choice(forms) + (f" ({stage})" if stage else "")
    elif p.lang == "es":
        text = f"{pre}¡{cap1(offer)}! Soy {stage}" + (f", {cap}" if cap else "")
    else:
        text = f"{pre}{cap1(offer)}! Sou {stage}" + (f", {cap}" if cap else "")
    if F and not p.bio_field and not _names_all(p, text):
        text += f" ({F})"
    return tidy(text + tag) + emoji(rng, 0.25)


# -- commands ----------------------------------------------------------------------------------

# Why people pause, by stage (English only; the others just pause).
_BUSY = {"premed": ("MCAT studying 📚", "application season is a lot"),
         "student": ("Step 1 dedicated 📚", "studying for Step 2", "away rotations"),
         "resident": ("night float this month", "boards studying", "rotations are brutal rn"),
         "fellow": ("boards studying", "research block crunch"),
         "attending": ("on service this month", "grant deadline", "traveling a lot this month"),
         "senior": ("on service this month", "accreditation visit 😅")}


def _date(lang: str, day: date, rng: random.Random) -> str:
    month = _MONTHS[lang][day.month - 1]
    if lang == "en":
        return rng.choice([f"{month} {day.day}", f"{month[:3]} {day.day}", f"{day.month}/{day.day}"])
    return f"{day.day} de {month}"


def command(rng: random.Random, p: Profile, v: Voice, kind: str, *, until: date | None = None,
            capacity: int | None = None, reply: bool = False) -> str:
    """STOP, PAUSE [until], RESUME, DELETE, STATUS, HELP or CAPACITY n, the way people write them."""
    b = reply_prefix(rng, v) if reply else f"{v.bot} "
    lang = p.lang
    d = _date(lang, until, rng) if until else ""
    why = rng.choice(_BUSY.get(p.stage or "", _BUSY["attending"]))
    more = capacity is not None and capacity > (p.persona.capacity or 2)  # 2: the usual default
    c = str(capacity)
    banks = {
        "stop": {"en": ["STOP", "stop", "STOP please, too much on my plate right now",
                        "please stop, I need to step back from the program", "stop. thank you for everything"],
                 "es": ["STOP", "STOP, gracias por todo", "stop por favor"],
                 "pt": ["STOP", gendered(p, "STOP, obrigada por tudo", "STOP, obrigado por tudo"),
                        "stop por favor"]},
        "pause": {"en": [f"pause until {d}", f"PAUSE until {d} please, {why}", f"can you pause me until {d}?",
                         f"pause until {d}, {why}"] if d else ["pause pls", "PAUSE", f"pause please, {why}"],
                  "es": [f"pausa hasta el {d}", f"PAUSE hasta el {d}, gracias"] if d else ["PAUSE por favor"],
                  "pt": [f"pausar até {d}", f"PAUSE até {d} por favor"] if d else ["PAUSE por favor"]},
        "resume": {"en": ["resume", "RESUME please, I'm back!", "back from my break, resume me", "resume 🙌"],
                   "es": ["RESUME, ya volví", "resume por favor"], "pt": ["RESUME, voltei!", "resume por favor"]},
        "delete": {"en": ["delete my data", "please delete my data", "DELETE", "delete my data please, thanks"],
                   "es": ["borra mis datos por favor", "DELETE, borren mis datos"],
                   "pt": ["apagar meus dados, por favor", "DELETE"]},
        "status": {"en": ["status", "STATUS", "what's my status?", "status? did I get matched yet", "status pls"],
                   "es": ["STATUS por favor", "status? ya tengo mentor?"],
                   "pt": ["STATUS", "status? já tenho mentor?"]},
        "help": {"en": ["help", "HELP", "help, how does this work?", "what commands are there? help"],
                 "es": ["ayuda", "HELP, ¿cómo funciona?"], "pt": ["ajuda", "HELP, como funciona?"]},
        "capacity": {"en": [f"capacity {c}", f"CAPACITY {c}", f"capacity {c} for this semester"]
                     + ([f"I can take one more, capacity {c}", f"capacity {c}, happy to help more"] if more
                        else [f"capacity {c} please, busy month", f"capacity {c}, stretched thin right now"]),
                     "es": [f"capacity {c} por favor", f"CAPACITY {c}, gracias"],
                     "pt": [f"capacity {c}, obrigado", f"CAPACITY {c} por favor"]},
    }
    return tidy(b + rng.choice(banks[kind][lang])) + emoji(rng, 0.15)


def decline(rng: random.Random, p: Profile, v: Voice) -> str:
    """NEW MENTOR, in reply to the bot's introduction."""
    b = reply_prefix(rng, v)
    bank = {"en": ["new mentor please", "NEW MENTOR — our schedules don't line up, but thank you!",
                   "new mentor pls, different time zones 😕", "NEW MENTOR",
                   "new mentor please, not quite the right fit"],
            "es": ["NEW MENTOR por favor, no coincidimos en horarios", "new mentor, por favor"],
            "pt": ["NEW MENTOR, por favor", "new mentor por favor, horários muito diferentes"]}
    if p.persona.kind == "mentor" and p.lang == "en":
        bank["en"] = ["NEW MENTOR: I'm not the best fit here, happy to take someone else",
                      "new mentor please, my schedule changed"]
    return tidy(b + rng.choice(bank[p.lang]))


def checkin_answer(rng: random.Random, p: Profile, v: Voice, mood: str) -> str:
    """An answer to the bot's check-in: mood is "good", "unsure" or "not_a_fit"."""
    b = reply_prefix(rng, v)
    bank = {
        "good": {"en": ["going great! We've met twice already 🙌",
                        "really well, thank you! Monthly calls on the calendar",
                        "so good. Already got feedback on my personal statement",
                        "great so far, thanks for checking in!"],
                 "es": ["¡muy bien! Ya hablamos dos veces", "todo excelente, gracias"],
                 "pt": ["muito bem! Já conversamos duas vezes", "tudo ótimo, " + gendered(p, "obrigada", "obrigado")]},
        "unsure": {"en": ["haven't connected yet, schedules are hard", "we've emailed once, still figuring it out",
                          "ok I think? hard to find time"],
                   "es": ["todavía no hemos hablado", "más o menos, cuesta coordinar"],
                   "pt": ["ainda não conversamos", "mais ou menos, difícil de marcar"]},
        "not_a_fit": {"en": ["honestly not a fit. NEW MENTOR please", "not really working out, new mentor please"],
                      "es": ["no funcionó, NEW MENTOR por favor"], "pt": ["não deu certo, NEW MENTOR por favor"]},
    }
    return tidy(b + rng.choice(bank[mood][p.lang]))
