"""What people post around the program: wins, hashtag chatter, thanks, and the noise.

Traps for the classifier are deliberate: "can't stop smiling", "my mentor is amazing", "not
looking for a mentor right now" are neither commands nor joins; trolls write "stop spamming".
"""
from __future__ import annotations

import random
import string

from .lexicon import CONFERENCES, FLAGS, JOURNALS, SUBSPECIALTIES
from .people import Profile
from .phrasing import Voice, aim, emoji, field, fresh, gendered, reply_prefix, spec_words, tidy

__all__ = ["win", "chatter", "congrats", "thanks", "troll", "spam", "bot_post"]


def _topic(rng: random.Random) -> str:
    return rng.choice(("sepsis outcomes", "health equity", "resident wellness", "POCUS training", "rural access",
                       "telehealth access", "readmissions", "AI scribes", "implicit bias training", "heat illness",
                       "maternal mortality", "trial diversity", "opioid prescribing", "burnout", "language access"))


def _matched(p: Profile, rng: random.Random, inst: str) -> str:
    if not p.units:
        return "Matched!!! 🎉"
    unit = p.units[0]
    if set(unit.ids) & SUBSPECIALTIES and len(unit.ids) == 1:
        return f"Matched into IM at {inst}!!! One step closer to {field(unit, 'en', rng)}"
    return f"Matched into {field(unit, 'en', rng)} at {inst}!!!"


def win(rng: random.Random, p: Profile, v: Voice, said: set[str] | None = None) -> str:
    """An achievement with the hashtag; mentions the bot now and then. ``said``: their earlier wins."""
    F = spec_words(p, rng) if p.units else ""
    spec = p.persona.specialties[-1] if p.persona.specialties else ""
    conf = CONFERENCES.get(spec, "#SHM") + str((v.year + 1) % 100)  # next season's meetings
    inst = p.inst[1] or p.inst[0]
    j = rng.choice(JOURNALS)
    lang, n = p.lang, p.year
    if lang == "en":
        if p.stage == "premed":
            bank = ["Got my first med school interview invite!!!", "MCAT: done. Score: better than I dreamed 🥹",
                    f"I got into med school!!! Class of {v.year + 4} 🩺",
                    f"Accepted to {inst}'s summer research program!",
                    "Finished my first research poster!"]
        elif p.stage == "student":
            bank = [f"Our abstract was accepted at {conf} 🎉", f"First-author case report accepted in {j}!",
                    f"Won best poster at {conf}!"]
            rotation = field(p.units[0], "en", rng) if p.units else "medicine"
            bank += {1: ["Survived my first anatomy practical!", "Got the summer research scholarship!"],
                     2: ["Passed Step 1!!!", "Got the summer research scholarship!"],
                     3: ["Passed Step 1!!!", "Elected to AOA!!", f"Honored my {rotation} rotation 🥹"],
                     }.get(n, ["Passed Step 2 CK!", "Elected to AOA!!", _matched(p, rng, inst)])
        elif p.stage == "resident":
            bank = [f"Our paper on {_topic(rng)} is out in {j}!", "Gave my first grand rounds today!",
                    "Won the resident research award 🏆", f"Abstract accepted as an oral presentation at {conf}!"]
            bank += ["Passed Step 3 ✅"] if n <= 2 else ["Named chief resident for next year!"]
            if aim(p) is not None:
                bank.append(f"Matched into {field(aim(p), 'en', rng)} fellowship at {inst}!!!")
        else:
            bank = ["Boards: passed ✅", f"Just accepted a faculty position at {inst}!",
                    "Got my first grant funded!!",
                    f"Invited talk at {conf} 🎤", f"Our {j} paper is out today"]
    elif lang == "es":
        bank = {"premed": ["¡Entré a medicina!!! 🩺", "¡Aprobé el examen de admisión a medicina!",
                           "¡Terminé mi primer póster!"],
                "student": ["¡Nuestro trabajo fue aceptado en un congreso internacional!",
                            "¡Publicamos nuestro primer artículo!",
                            "¡Gané el premio al mejor póster!", f"¡Presenté en {conf}!"],
                "resident": ["¡Publicamos nuestro primer artículo!", f"¡Presenté en {conf}!",
                             "¡Di mi primera sesión general!",
                             "¡Gané el premio de investigación de residentes!"],
                "fellow": [f"¡Presenté en {conf}!", "¡Aprobé el examen de la especialidad!",
                           "¡Nos financiaron el proyecto!"]}[p.stage]
        if p.zone.key == "America/Mexico_City" and p.stage == "student":
            bank.append(f"¡Aprobé el ENARM! {FLAGS[p.zone.key]}")
        if F and p.stage == "student":
            bank.append(f"¡Me aceptaron en la residencia de {F}!")
    else:
        bank = {"premed": ["Passei no vestibular de medicina!!! 🩺", "Passei em medicina!!!",
                           "Terminei meu primeiro pôster!"],
                "student": ["Nosso artigo foi aceito! 🎉", "Apresentei meu primeiro pôster hoje!",
                            f"Apresentei no {conf}!",
                            gendered(p, "Fui aprovada", "Fui aprovado") + " no programa de pesquisa!"],
                "resident": ["Nosso artigo foi aceito! 🎉", f"Apresentei no {conf}!",
                             "Ganhei o prêmio de pesquisa da residência!"],
                "fellow": [f"Apresentei no {conf}!", "Passei na prova de título!",
                           "Nosso projeto foi financiado!"]}[p.stage]
        if F and p.stage == "student":
            bank.append(f"Passei na prova de residência em {F}!!!")
    text = fresh(rng, bank, said)
    if lang == "en" and rng.random() < 0.08:
        text = text.upper()  # SOME NEWS IS SHOUTED
    extra = rng.random()
    if extra < 0.2:
        text += rng.choice([" Couldn't have done it without my mentor 🙏", " So grateful for my mentors.",
                            " Pinch me.", " Still shaking."] if lang == "en" else [" 🙏"])
    if rng.random() < 0.2:
        text = rng.choice([f"{v.bot} {text} {v.tag}", f"{text} {v.tag} {v.bot}",
                           f"{text} Thank you {v.bot}! {v.tag}"])
    else:
        text = rng.choice([f"{text} {v.tag}", f"{v.tag} {text}", f"{text} {v.tag} #MedTwitter"])
    return tidy(text) + emoji(rng, 0.3)


_CHATTER = {
    "en": ["Love seeing {tag} on my timeline today",
           "I stopped by the poster hall and met three {tag} pairs presenting together!",
           "Great thread on finding mentors {tag} #MedTwitter", "My mentor is amazing. Grateful every day. {tag}",
           "Not looking for a mentor right now but this is such a cool idea {tag}",
           "How does {tag} work? Asking for a friend",
           "Sponsorship > mentorship. Say their names in rooms they're not in. {tag}",
           "Reminder: mentoring is work. Protect your mentors' time. {tag}", "The {tag} wins this week 🥹",
           "Who else is following {tag}? Such good vibes", "Rounds ran long but scrolling {tag} cheered me up",
           "{tag} is proof #MedTwitter can still be nice",
           "Can't stop thinking about how much I needed {tag} as an MS1",
           "Somebody please start a {tag} for nursing too", "Every med school should have a {tag}",
           "Bookmarking every {tag} thread for my students", "Small acts of mentorship add up. {tag}",
           "If you're a trainee reading {tag}: you belong here.", "Mentors, answer the DM. It matters. {tag}",
           "The best mentor I had said yes to a cold email. Be that person. {tag}",
           "Seeing {tag} pairs present together at grand rounds made my week",
           "Ok {tag} is making me want to finally ask someone to mentor me",
           "Quietly cheering for everyone in {tag}",
           "{tag} but make it for nurses and PAs too please",
           "Stop scrolling and go congratulate someone in {tag}",
           "Love how {tag} lifts up people from schools without a home program",
           "A mentor once read my personal statement at 2am. Pay it forward. {tag}",
           "Would love a {tag} meetup at the next conference", "So many wins on {tag} today, my heart",
           "Thinking about the mentors who made time for me. {tag}"],
    "es": ["Me encanta ver {tag} en mi timeline", "¡Qué buena iniciativa {tag}!",
           "Ojalá hubiera existido {tag} cuando empecé",
           "Los logros de {tag} esta semana 🥹", "La mentoría cambia carreras. {tag}",
           "¿Alguien más sigue {tag}? Qué buena vibra",
           "Guardando todos los hilos de {tag} para mis estudiantes", "Patrocinar también es mentorear. {tag}",
           "Hoy pasé por los pósters y vi a varias parejas de {tag}",
           "No busco mentor ahora, pero qué gran idea {tag}"],
    "pt": ["Amo ver {tag} na minha timeline", "Que iniciativa incrível {tag}!",
           "Queria que existisse {tag} quando comecei",
           "As conquistas de {tag} essa semana 🥹", "Mentoria muda carreiras. {tag}",
           "Mais alguém acompanhando {tag}? Que vibe boa",
           "Salvando todas as threads de {tag} pros meus alunos",
           "Hoje passei pelos pôsteres e vi várias duplas do {tag}",
           "Não procuro mentor agora, mas que ideia ótima {tag}", "Plantão longo, mas ler {tag} me animou"],
}


_PARTICIPANT_CHATTER = {
    "mentee": {"en": ["First call with my {tag} mentor today! So helpful",
                      "Week {w} of {tag}: already have a research idea",
                      "Shoutout to my {tag} mentor for reading my personal statement three times",
                      "My {tag} mentor just introduced me to their whole division 🥹",
                      "Prepping questions for my {tag} mentor call",
                      "Honestly {tag} is the best thing that happened to my {F} application"],
               "es": ["¡Primera llamada con mi mentora de {tag}!", "Semana {w} de {tag} y ya tengo proyecto"],
               "pt": ["Primeira conversa com minha mentora do {tag}!", "Semana {w} de {tag} e já tenho projeto"]},
    "mentor": {"en": ["Met my {tag} mentee for coffee (virtually) ☕",
                      "My {tag} mentee asked better questions than I did at that stage",
                      "Colleagues: sign up for {tag}. An hour a month is plenty",
                      "Proud {tag} mentor moment today",
                      "Reviewing a CV for my {tag} mentee tonight"],
               "es": ["Gran charla con mi mentorada de {tag}", "Colegas: súmense a {tag}"],
               "pt": ["Ótima conversa com minha mentorada do {tag}", "Colegas: participem do {tag}"]},
}


def chatter(rng: random.Random, p: Profile, v: Voice, week: int, *, matched: bool = False,
            said: set[str] | None = None) -> str:
    """Hashtag use without mentioning the bot; ``matched`` people talk about their mentor or mentee."""
    bank = _PARTICIPANT_CHATTER.get(p.persona.kind, {}).get(p.lang) if matched and rng.random() < 0.7 else None
    bank = bank or _CHATTER[p.lang]
    text = fresh(rng, bank, said).format(tag=v.tag, w=week, F=spec_words(p, rng) or "residency")
    return tidy(text) + emoji(rng, 0.3)


def congrats(rng: random.Random, p: Profile, v: Voice, author: str) -> str:
    """A reply to someone's win. X starts it with the author's @handle."""
    bank = {"en": ["Congrats!!! So deserved 🎉", "Huge! Congratulations!", "YES!!! 👏👏", "so proud of you!",
                   "Incredible, congrats!", "Love this. Onward and upward", "Well deserved!!"],
            "es": ["¡Felicidades! 🎉", "¡Enhorabuena!", "¡Qué orgullo!"],
            "pt": ["Parabéns!!! 🎉", "Que orgulho!", "Merecido demais!"]}
    tag = f" {v.tag}" if rng.random() < 0.4 else ""
    return f"@{author} {rng.choice(bank[p.lang])}{tag}"


def thanks(rng: random.Random, p: Profile, v: Voice, *, before_join: bool = False, reply: bool = False,
           matched: bool = False) -> str:
    """A mention of the bot that asks for nothing (a trap for keyword classifiers)."""
    b = reply_prefix(rng, v) if reply else f"{v.bot} "
    if before_join:
        bank = {"en": ["not looking for a mentor right now, maybe next semester. Love this though",
                       "what is this? is it legit?", "saw this on my timeline, very cool"],
                "es": ["¿qué es esto? se ve interesante"], "pt": ["o que é isso? parece legal"]}
    elif p.persona.kind == "mentor":
        bank = {"en": ["thank you for organizing this!", "love what this program is doing",
                       "this is how #MedTwitter should be used"]
                + (["my mentee just presented their first poster, proud mentor moment"] if matched else []),
                "es": ["¡gracias por organizar esto!"], "pt": ["obrigado por organizar isso!"]}
    elif matched:
        bank = {"en": ["my mentor is amazing 🙏", "can't stop smiling after my first mentor call!",
                       "thank you for matching me with the best mentor",
                       "my mentor already changed how I study. thank you"],
                "es": ["mi mentora es increíble 🙏", "¡gracias por mi mentor!"],
                "pt": ["minha mentora é incrível 🙏", "obrigad" + gendered(p, "a", "o") + " pela mentora incrível!"]}
    else:
        bank = {"en": ["thank you for this program!", "just wanted to say thank you", "this is such a great idea",
                       "best thing on #MedTwitter this week", "thank you!! 🙏",
                       "can't stop telling my classmates about this!"],
                "es": ["¡gracias por este programa!", "¡qué gran idea!"],
                "pt": [gendered(p, "obrigada por esse projeto!", "obrigado por esse projeto!"),
                       "que ideia incrível!"]}
    return tidy(b + rng.choice(bank[p.lang])) + emoji(rng, 0.3)


# -- noise -------------------------------------------------------------------------------------

def troll(rng: random.Random, p: Profile, v: Voice) -> str:
    text = rng.choice(["mentorship by algorithm, what could go wrong", "nobody asked for this",
                       "imagine needing a bot to find a mentor lol", "this is peak #MedTwitter cringe",
                       "stop spamming my timeline", "another bot, just what medicine needed 🙄", "touch grass",
                       "in my day we found mentors by being annoying in person",
                       "who runs this thing, a pharma rep?",
                       "ok bot", "mentors should be earned, not assigned", "this won't fix anything"])
    tail = rng.choice(["", " lol", " 🙄", " smh", f" {v.tag}", " #MedTwitter"])
    return f"{v.bot} {text}{'' if tail.strip() in text else tail}"


def spam(rng: random.Random, p: Profile, v: Voice) -> str:
    code = "".join(rng.choices(string.ascii_letters + string.digits, k=7))
    url = rng.choice([f"https://bit.ly/{code}", f"https://airdrop-claim.xyz/{code}"])
    n = rng.randint(2, 50)
    text = rng.choice([f"🚀 Earn {n} ETH daily! Claim now: {url}",
                       f"{v.tag} crypto giveaway 💰 first 100 get free tokens {url}",
                       f"DM for promo 🔥 Grow your med page {n}k followers/week",
                       f"💸 $MOON airdrop LIVE, connect your wallet: {url}",
                       f"Limited time! {n}x returns guaranteed {url} {v.tag}"])
    return f"{v.bot} {text}"


def bot_post(rng: random.Random, p: Profile, v: Voice, *, mention: bool = False) -> str:
    """Another automated account: digests with the hashtag; rarely it mentions the bot."""
    n, m, k = rng.randint(5, 400), rng.randint(1, 60), rng.randint(0, 25)
    if mention:
        return rng.choice([f"{v.bot} 🤖 beep boop, hello from a fellow bot! {v.tag}",
                           f"{v.bot} tracking {v.tag}: {n} posts this week 🤖"])
    return rng.choice([f"Daily {v.tag} digest: {n} new posts, {m} new members, {k} wins 🎉 #MedTwitter",
                       f"Trending in #MedTwitter today: {v.tag} ({n} posts)",
                       f"{v.tag} weekly roundup: {m} intros, {k} wins. Automated post.",
                       f"🤖 Hashtag report: {v.tag} up {m}% this week ({n} posts)"])
