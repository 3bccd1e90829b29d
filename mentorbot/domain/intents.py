"""What people write to the bot, in English, Spanish and Portuguese: the classifier's phrase lists.

Phrases are written naturally; they are normalised like any post (casefolded, accents stripped,
hyphens as spaces: "shout-outs" == "shout outs"), so one spelling covers its variants. Each list
is a *tag*; a phrase may carry several tags. Commands come in two strengths: ``cmd!`` phrases
mean the command wherever they appear in a short post, ``cmd`` words only when they dominate it
("@bot STOP", not "can't stop smiling").
"""
from __future__ import annotations

__all__ = ["PHRASES", "COMMAND_PRIORITY", "FILLERS", "NEGATORS", "NUMBERS", "MONTHS", "UNITS",
           "ACHIEVEMENT_VETOES", "CONGRATULATIONS", "NOT_SELF", "GRATITUDE", "ROLE_NOUNS", "OWNERS"]

# The order in which two commands in one post win over each other: leaving beats everything.
COMMAND_PRIORITY = ("delete", "stop", "no_shoutouts", "pause", "resume", "capacity", "decline",
                    "status", "help")

PHRASES: dict[str, tuple[str, ...]] = {
    # -- commands ------------------------------------------------------------------------------
    "cmd!:stop": (
        "unsubscribe", "opt out", "opt me out", "remove me", "take me off", "count me out",
        "i want out", "i'm out", "im out", "leave the program", "quit the program",
        "leave this program", "withdraw me", "i withdraw", "leave me alone", "stop messaging me",
        "darme de baja", "dame de baja", "dar de baja", "me doy de baja", "quiero salir", "me retiro",
        "sácame", "salirme", "quero sair", "me tira", "me remove", "me descadastra", "descadastrar",
        "cancelar inscrição", "cancelar mi inscripción", "cancelar minha inscrição",
        "unenroll me", "unenrol me", "deregister me",
    ),
    "cmd:stop": ("stop", "leave", "quit", "cancel", "exit", "withdraw", "salir", "parar", "sair",
                 "cancelar", "baja", "basta", "stop all", "no more"),
    "cmd!:pause": (
        "pause me", "pause my", "put me on hold", "on hold", "put me on pause", "take a break",
        "taking a break", "hit pause", "snooze", "pausa", "pausar", "pausen", "en pausa", "pon pausa",
        "ponme en pausa", "dar una pausa", "dar uma pausa", "em pausa", "pausem", "on leave",
        "maternity leave", "paternity leave", "parental leave", "medical leave", "sick leave",
        "de licencia", "de licença",
    ),
    "cmd:pause": ("pause",),
    "cmd!:resume": (
        "unpause", "un pause", "resume my", "resume me", "i'm back", "im back", "i am back",
        "available again", "reactivate", "reactivate me", "count me back in", "back in",
        "estoy de vuelta", "ya volví", "volví", "reanudar", "reanuda", "reanuden", "retomar",
        "retoma", "voltei", "estou de volta", "de volta", "quero voltar",
        # a pause of one's own spoken of as over ("estaba en pausa pero...", "tirem a pausa")
        "end my pause", "estaba en pausa", "estava em pausa", "quitar mi pausa", "quiten la pausa",
        "tirar minha pausa", "tirem a pausa", "reactivenme", "reactívenme", "me reactivan",
        "me reativem",
    ),
    "cmd:resume": ("resume", "back", "restart", "continue", "voltar", "volver", "unpause me"),
    "cmd!:delete": (
        "delete my data", "delete my info", "delete my information", "delete my account",
        "delete my profile", "delete me", "delete everything", "erase my data", "erase me",
        "remove my data", "remove my info", "wipe my data", "forget me", "forget about me",
        "forget everything about me", "gdpr", "borrar mis datos", "borra mis datos",
        "borren mis datos", "elimina mis datos", "eliminar mis datos", "eliminen mis datos",
        "olvídame", "olvidame", "apagar meus dados", "apague meus dados", "apaguem meus dados",
        "excluir meus dados", "exclua meus dados", "deletar meus dados", "esqueça-me", "me esqueça",
        "forget i was here", "forget i exist", "forget i ever", "forget all about me",
        "remove me from your database", "remove me from your records", "erase all traces",
        "olvida que existo", "olvídate de mí", "esqueça que eu existo", "esqueça de mim",
        "esquece de mim",
    ),
    "cmd:delete": ("delete", "erase", "borrar", "apagar", "eliminar", "excluir", "deletar"),
    "cmd!:help": (
        "how does this work", "how does it work", "how do i use this", "what can you do",
        "what are the commands", "list of commands", "cómo funciona", "como funciona",
        "qué puedo hacer", "o que posso fazer", "how do i join", "how to join",
        "how to use the bot", "quais são os comandos",
    ),
    "cmd:help": ("help", "commands", "command", "menu", "ayuda", "ajuda", "comandos", "info",
                 "instructions", "options", "?"),
    "cmd!:status": (
        "what do you know about me", "what do you have on me", "what data do you have",
        "my status", "what's my status", "whats my status", "am i registered", "am i signed up",
        "qué sabes de mí", "que sabes de mi", "mi estado", "estoy registrado", "estoy registrada",
        "meu status", "o que você sabe sobre mim", "estou inscrito", "estou inscrita",
        "what do you have on file", "on file for me", "what's on file", "whats on file",
        "what have you got on me", "what do you have about me", "what info do you have",
        "what information do you have", "what do you know of me", "show my profile",
        "show me my profile", "qué datos tienes", "que datos tienes", "qué tienes sobre mí",
        "cuál es mi estado", "que dados você tem", "o que você tem sobre mim", "qual é meu status",
        "qual o meu status",
    ),
    # Status only when asked ("who's my mentor?", not "guess who is my mentor now, so lucky").
    "ask_status": (
        "who's my mentor", "whos my mentor", "who is my mentor", "who are my mentees",
        "who's my mentee", "who is my mentee", "who am i matched with", "who did you match me with", "who did you pair me with",
        "who was i matched with", "who i was matched with", "who did i get matched with",
        "who i got matched with", "am i still signed up", "am i still registered",
        "still in the program", "sigo apuntado", "sigo apuntada", "sigo inscrito", "sigo inscrita",
        "sigo en el programa", "ainda estou no programa", "ainda tô no programa",
        "ainda to no programa", "ainda estou inscrito", "ainda estou inscrita", "have i been matched",
        "did i get matched", "am i matched", "what's my profile", "ya estoy inscrito",
        "ya estoy inscrita", "quién es mi mentor", "quien es mi mentor", "quién es mi mentora",
        "quem é meu mentor", "quem é minha mentora", "já estou inscrito", "já estou inscrita",
    ),
    "cmd:status": ("status", "estado", "situação", "profile", "perfil", "my info", "my data",
                   "mis datos", "meus dados"),
    "cmd!:no_shoutouts": (
        "no shout outs", "no shoutouts", "no shout out", "no shoutout", "no shout outs please",
        "don't feature me", "do not feature me", "dont feature me", "don't shout me out",
        "don't tag me", "do not tag me", "dont tag me", "stop tagging me", "stop mentioning me",
        "no tags", "no reposts", "no retweets", "don't repost me", "don't repost my",
        "don't retweet me", "don't amplify", "no amplification", "opt out of shout outs",
        "opt out of shoutouts", "opt out of reposts", "opt out of features", "no #FollowFriday",
        "no follow friday", "sin menciones", "no me menciones", "no me etiquetes",
        "no me destaquen", "no me destaques", "sin reposts", "sem menções", "não me marque",
        "não me marquem", "não me destaque", "sem reposts", "sem destaque",
        "keep me out of shout outs", "keep me out of shoutouts", "keep me out of reposts",
        "leave me out of shout outs", "leave me out of shoutouts", "leave me out of reposts",
        "rather not be featured", "prefer not to be featured", "rather not be tagged",
        "prefer not to be tagged", "rather not be shouted out", "no me compartan",
        "no compartan mis", "no compartas mis", "não compartilhe meus", "não compartilhem meus",
        "deja de etiquetarme", "dejen de etiquetarme", "deja de mencionarme", "dejen de mencionarme",
    ),
    "cmd!:decline": (
        "new mentor", "different mentor", "another mentor", "other mentor", "rematch", "re match",
        "rematch me", "new match", "different match", "new mentee", "different mentee",
        "another mentee", "otro mentor", "otra mentora", "nuevo mentor", "nueva mentora",
        "cambiar de mentor", "cambio de mentor", "outro mentor", "outra mentora", "novo mentor",
        "nova mentora", "trocar de mentor",
        "decline this match", "decline the match", "decline my match", "decline this pairing",
        "decline the pairing", "decline this introduction", "decline the introduction",
        "decline this intro", "decline the intro", "decline this mentor", "decline this mentee",
        "pass on this match", "pass on the match", "pass on this pairing", "unmatch me",
        "rechazar este match", "rechazo este match", "rechazo la asignación", "declino este match",
        "recusar este match", "recuso este match", "recuso a indicação", "não aceito este match",
    ),
    # A correction of what the bot understood ("actually I'm a fellow now, not a resident"):
    # counts only when the post itself states a stage or a specialty.
    "correct": (
        "actually", "correction", "small correction", "quick correction", "to correct", "that's wrong",
        "thats wrong", "that's not right", "not quite right", "you got it wrong", "got it wrong",
        "wrong specialty", "wrong stage", "update my profile", "update my stage",
        "update my specialty", "change my specialty", "change my stage", "fix my profile",
        "i'm now", "i am now", "no longer a", "not a resident anymore", "not a student anymore",
        "en realidad soy", "de hecho soy", "corrección", "ya no soy", "ahora soy",
        "actualiza mi perfil", "cambia mi especialidad", "na verdade sou", "na verdade eu sou",
        "correção", "não sou mais", "agora sou", "atualize meu perfil", "atualiza meu perfil",
        "mude minha especialidade", "small fix", "quick fix", "minor fix", "one fix", "a fix",
        "to clarify", "just to clarify", "clarification", "small clarification", "slight correction",
        "pequeña corrección", "aclaración", "para aclarar", "pequena correção", "esclarecendo",
    ),
    # Verb + object commands, read together (see postrules._paraphrased): "erase everything you
    # have about me", "apague todos os meus dados", "please don't share or retweet my posts".
    "erase_verb": (
        "delete", "erase", "wipe", "purge", "remove", "delete all", "erase all",
        "borra", "borrar", "borre", "borren", "elimina", "eliminar", "elimine", "eliminen",
        "apaga", "apagar", "apague", "apaguem", "exclua", "excluir", "excluam", "exclui",
        "deleta", "deletar", "suprime", "suprimir",
    ),
    "my_data": (
        "my data", "my info", "my information", "my details", "my account", "my profile",
        "my records", "my personal data", "my personal information", "all my data", "all my info",
        "all of my data", "all my information", "everything about me", "all traces of me",
        "mis datos", "todos mis datos", "mi información", "toda mi información", "mi cuenta",
        "mi perfil", "meus dados", "todos os meus dados", "minhas informações",
        "todas as minhas informações", "minha conta", "meu perfil", "tudo sobre mim",
    ),
    # Counts as the author's data only with the author in the same clause ("erase everything you
    # have about me", "borra todo lo que tienes de mí"), not "clear everything off your desk".
    "all_data": (
        "everything", "everything you have", "all of it", "all data", "all records", "all traces",
        "todo", "todo lo que tienes", "todos los datos", "tudo", "todos os dados",
        "tudo que você tem",
    ),
    "amplify_verb": (
        "share", "retweet", "rt", "repost", "quote", "quote tweet", "feature", "tag", "mention",
        "amplify", "boost", "highlight", "spotlight", "shout out", "shoutout", "post about",
        "sharing", "retweeting", "reposting", "featuring", "tagging", "mentioning", "amplifying",
        "boosting", "highlighting", "spotlighting", "compartir", "compartas", "compartan",
        "retuitear", "retuitees", "retuiteen", "republicar", "republiques", "destacar",
        "destaques", "destaquen", "mencionar", "menciones", "mencionen", "etiquetar",
        "etiquetes", "etiqueten", "compartilhar", "compartilhe", "compartilhem", "repostar",
        "reposte", "repostem", "marcar", "marque", "marquem", "mencione", "mencionem", "destaque",
        "destaquem",
    ),
    "my_posts": (
        "me", "my posts", "my post", "my tweets", "my tweet", "my wins", "my win", "my news",
        "my stuff", "my content", "my achievements", "my updates", "my name", "my work",
        "my paper", "my papers", "my photos", "my pics", "mis posts", "mis publicaciones",
        "mis tuits", "mis logros", "meus posts", "minhas publicações", "meus tweets",
        "minhas conquistas", "meu nome",
    ),
    # Declining an introduction (only in reply to it).
    "decline": (
        "not a fit", "not a good fit", "not the right fit", "not a match", "not a great fit",
        "not the best fit", "not a great match", "not the right match", "pass", "i'll pass",
        "i will pass", "no thanks", "no thank you", "not for me", "not interested", "someone else",
        "i decline", "decline", "no gracias", "paso", "no es para mí", "no me interesa",
        "não obrigado", "não obrigada", "não é pra mim", "não é para mim", "passo",
        "não tenho interesse",
    ),
    # -- joining -------------------------------------------------------------------------------
    "seek": (
        "looking for", "look for", "lf", "l4", "looking 4", "seeking", "searching for", "in search of", "hoping to find",
        "hope to find", "trying to find", "want to find", "would love to find", "find", "finding",
        "need", "i need", "needing", "want", "would love", "i'd love", "would like", "i'd like",
        "hoping for", "in need of", "could use", "could really use", "really could use",
        "could definitely use", "could sure use", "could totally use", "could also use",
        "would benefit from", "would really benefit from", "appreciate", "would appreciate",
        "would really appreciate", "i'd really appreciate", "really need", "really want",
        "would really love", "would really like", "i'd really love", "i'd really like", "to have", "would love to have",
        "would love to get", "would like to have", "i'd love to have", "get", "connect with",
        "to connect with", "would love to connect with", "match me with", "pair me with",
        "busco", "buscando", "estoy buscando", "necesito", "quiero", "me gustaría", "quisiera",
        "me encantaría", "en busca de", "me gustaría tener", "procuro", "procurando",
        "estou procurando", "preciso", "preciso de", "quero", "gostaria de", "adoraria",
        "em busca de", "gostaria de ter",
    ),
    "mentor_noun": (
        "mentor", "mentors", "mentora", "mentoras", "mentorship", "mentoring", "mentoría",
        "mentoria", "orientador", "orientadora", "tutor", "tutora", "guidance", "sponsor",
        "someone to guide me",
    ),
    "seek_me": (
        "mentor me", "be my mentor", "mentee here", "be mentored", "to be mentored", "get mentored",
        "find me a mentor", "match me", "pair me up", "connect me with a mentor",
        "looking to be mentored", "interested in being mentored", "ser mentoreado", "ser mentoreada", "ser mentorado",
        "ser mentorada", "ser orientado", "ser orientada", "sign me up as a mentee",
        "count me in as a mentee", "as a mentee", "como mentee", "como mentorado", "como mentorada",
        "mentee pls", "mentee please", "mentee side", "as mentee", "add me as mentee",
    ),
    "offer": (
        "happy to mentor", "glad to mentor", "would love to mentor", "i'd love to mentor",
        "love to mentor", "willing to mentor", "want to mentor", "wanna mentor", "can mentor",
        "could mentor", "will mentor", "i'll mentor", "able to mentor", "available to mentor",
        "open to mentoring", "happy to be a mentor", "interested in being a mentor",
        "interested in mentoring", "interested in serving as a mentor", "would like to mentor",
        "i'd like to mentor", "like to mentor", "would like to be a mentor",
        "willing to take on", "take on a mentee", "take on mentees", "take on a student", "would love to be a mentor",
        "i'd love to be a mentor", "want to be a mentor", "willing to be a mentor",
        "sign me up as a mentor", "count me in as a mentor", "sign me up to mentor",
        "sign up to mentor", "signing up to mentor", "signed up to mentor", "as a mentor", "volunteer as a mentor",
        "volunteer to mentor", "serve as a mentor", "here to mentor", "mentor here",
        "gladly mentor", "happily mentor", "keen to mentor", "down to mentor", "ser mentor de",
        "ser mentora de",
        "happy to take", "happy to help", "glad to help", "pay it forward", "happy to pay it forward",
        "looking for mentees", "looking for a mentee", "taking mentees", "accepting mentees",
        "open to mentees", "have room for", "have space for", "have capacity for",
        "quiero ser mentor", "quiero ser mentora", "quiero mentorear", "puedo ser mentor",
        "puedo ser mentora", "puedo mentorear", "me encantaría ser mentor",
        "me encantaría ser mentora", "me gustaría ser mentor", "me gustaría ser mentora",
        "feliz de ser mentor", "feliz de ser mentora", "feliz de mentorear",
        "dispuesto a mentorear", "dispuesta a mentorear", "disponible para mentorear",
        "me ofrezco como mentor", "me ofrezco como mentora", "como mentor", "como mentora",
        "quero ser mentor", "quero ser mentora", "posso ser mentor", "posso ser mentora",
        "posso mentorar", "quero mentorar", "adoraria ser mentor", "adoraria ser mentora",
        "gostaria de ser mentor", "gostaria de ser mentora", "feliz em ser mentor",
        "feliz em ser mentora", "feliz em mentorar", "disponível para mentorar",
        "disponível para mentoria", "me ofereço como mentor", "me ofereço como mentora",
    ),
    "join": (
        "sign me up", "sign up", "count me in", "add me", "i'd like to join", "i want to join",
        "want to join", "would like to join", "would love to join", "i'd love to join",
        "let me join", "i'm joining", "interested in joining", "interested in participating",
        "me apunto", "yo me apunto", "apúntame", "cuenten conmigo", "cuenta conmigo",
        "quiero participar", "me gustaría participar", "quiero unirme", "me inscribo",
        "inscríbeme", "estoy dentro", "me sumo", "tô dentro", "estou dentro", "conta comigo",
        "contem comigo", "quero participar", "quero entrar", "me inscreve", "me inscreva",
        "me inscrevo", "gostaria de participar",
    ),
    # Count only when they stand alone in their sentence ("I'm in!", not "I'm in Boston").
    "join?": ("i'm in", "im in", "i am in", "in", "interested",
              "interesado", "interesada", "interessado", "interessada", "me too", "same", "topo"),
    # Count only in reply to the call for mentors, standing alone.
    "call": ("yes", "sure", "absolutely", "definitely", "of course", "happy to", "glad to",
             "would love to", "i'd love to", "love to", "🙋", "✋", "🙌", "sí", "si", "claro",
             "por supuesto", "presente", "yo", "sim", "claro que sim", "com certeza", "eu", "me",
             "raising my hand", "hand raised", "here", "count me"),
    # -- capacity ------------------------------------------------------------------------------
    "cap_word": (
        "capacity", "capacidad", "capacidade", "max", "maximum", "at most", "up to", "no more than",
        "limit", "cap", "máximo", "take", "can take", "could take", "room for", "space for",
        "tomar", "recibir", "aceptar", "receber", "aceitar", "accept", "mentor", "mentorear",
        "mentorar", "orientar", "hasta",
        # changing a registered number ("please drop me to just one mentee")
        "drop me to", "drop me down to", "reduce me to", "reduce to", "lower me to", "lower to",
        "bump me to", "bump me up to", "down to", "set me to", "change me to", "cut me to",
        "cut to", "bájame a", "bajame a", "reduce a", "baixa para", "reduz para",
    ),
    "mentee_noun": (
        "mentee", "mentees", "student", "students", "trainee", "trainees", "resident", "residents",
        "people", "mentorados", "mentoradas", "mentorado", "mentorada", "mentoreados",
        "mentoreadas", "mentoreado", "mentoreada", "mentorandos", "aprendices", "estudiantes",
        "alumnos", "alunos", "residentes", "pupilos",
    ),
    "cap_zero": (
        "no more mentees", "can't take any more mentees", "not taking mentees",
        "not taking new mentees", "at capacity", "i'm full", "im full", "no new mentees",
        "sin cupo", "sem vagas",
    ),
    # -- check-in answers ----------------------------------------------------------------------
    "good": (
        "going great", "great", "good", "going well", "going good", "really well", "so well",
        "very well", "well", "awesome", "amazing", "fantastic", "excellent", "wonderful",
        "love it", "loving it", "super helpful", "very helpful", "helpful", "perfect", "not bad",
        "👍", "🙌", "😊", "😀", "😄", "❤", "💯", "🔥", "🥰", "👏", "💪", "we've met",
        "we have met", "learning a lot", "muy bien", "bien", "excelente", "genial", "todo bien",
        "va bien", "muy útil", "increíble", "perfecto", "de maravilla", "muito bem", "bem",
        "ótimo", "ótima", "tudo certo", "tudo ótimo", "tudo bem", "indo bem", "maravilha",
        "muito bom", "muito boa", "perfeito",
    ),
    "unsure": (
        "not sure", "unsure", "ok i guess", "okay i guess", "i guess", "so so", "meh",
        "hard to say", "too early to tell", "too soon to tell", "haven't met", "we haven't met",
        "haven't met yet", "haven't connected", "not yet", "hmm", "🤷", "😐", "🤔", "ok", "okay",
        "fine", "alright", "mixed", "could be better", "no sé", "más o menos", "regular",
        "todavía no", "aún no", "não sei", "mais ou menos", "ainda não", "difícil dizer", "sei lá",
    ),
    "not_a_fit": (
        "not a fit", "not a good fit", "not the right fit", "not working", "isn't working",
        "not working out", "doesn't work", "didn't work", "not helpful", "not a match", "bad fit",
        "not a good match", "not a great match", "not the right match", "not the best match",
        "bad match", "poor match", "not compatible", "incompatible",
        "poor fit", "👎", "no funciona", "no está funcionando", "no encajamos", "no hubo química",
        "não está funcionando", "não funciona", "não deu certo", "não combinou", "ghosted",
        "ghosted me", "no response", "hasn't replied", "never replied", "no reply", "unresponsive",
        "no responde", "não responde",
    ),
    # -- wins ----------------------------------------------------------------------------------
    "win": (
        "matched", "i matched", "we matched", "matched into", "matched at", "just matched",
        "got accepted", "been accepted", "was accepted", "is accepted", "accepted to",
        "accepted into", "accepted at", "paper accepted", "abstract accepted",
        "manuscript accepted", "poster accepted", "article accepted", "accepted for publication",
        "accepted for presentation", "got in", "got into", "award", "awarded", "won", "winner",
        "received the", "honored to receive", "named", "selected as", "selected for", "elected",
        "passed", "i passed", "board certified", "presenting at", "presenting our",
        "presenting my", "will present", "i'll be presenting", "presented at", "presented our",
        "presented my", "oral presentation", "poster presentation", "gave grand rounds",
        "giving grand rounds", "my grand rounds", "grand rounds talk", "presenting grand rounds",
        "delivered grand rounds", "gave the keynote", "giving the keynote", "keynote speaker",
        "my keynote",
        "invited talk", "gave a talk", "giving a talk", "published", "just published", "is out",
        "is now out", "out now", "first author", "new paper", "our paper", "my paper",
        "my first paper", "my first publication", "got the grant", "grant funded", "got funded", "funded",
        "received a grant", "defended",
        "graduated", "white coat ceremony", "got the job", "promoted", "tenure", "scholarship",
        "aceptado", "aceptada", "aceptaron", "me aceptaron", "publicado", "publicada",
        "publicamos", "premio", "gané", "ganamos", "aprobé", "aprobado", "aprobada", "quedé en",
        "presenté", "presentaré", "voy a presentar", "me gradué", "beca", "mi primer artículo",
        "nuevo artículo", "aprovado", "aprovada", "passei", "prêmio", "ganhei", "ganhamos",
        "aceito", "artigo aceito", "apresentei", "vou apresentar", "me formei",
        "meu primeiro artigo", "fui aprovado", "fui aprovada",
    ),
    "win_noun": (
        "paper", "abstract", "manuscript", "poster", "publication", "award", "grant", "match",
        "residency", "fellowship", "step", "boards", "exam", "talk", "presentation", "interview",
        "interviews", "acceptance", "graduation", "promotion", "white coat", "scholarship",
        "artículo", "artigo", "residencia", "premio", "beca", "bolsa", "prova", "examen", "exame",
    ),
    "party": ("🎉", "🥳", "🎊", "🍾", "🏆", "🥇"),
    # An exam and its result, in either order ("Step 1: PASS ✅", "passed my boards"): a win.
    "exam": ("step 1", "step 2", "step 2 ck", "step 3", "level 1", "level 2", "level 3", "boards",
             "board exam", "board exams", "shelf", "shelf exam", "usmle", "comlex", "mcat", "plab",
             "exam", "examen", "exame", "prova", "enarm", "revalida"),
    "pass": ("pass", "passed", "cleared", "aced", "crushed", "aprobé", "aprobado", "aprobada",
             "aprovado", "aprovada", "passei"),
    # -- stated preference (read only when the campaign allows it) -----------------------------
    "prefer": ("prefer", "preferably", "ideally", "prefiero", "preferiría", "de preferencia",
               "prefiro", "preferia", "preferencialmente", "de preferência", "idealmente"),
    # -- pause dates ---------------------------------------------------------------------------
    "until": ("until", "till", "til", "'til", "through", "thru", "hasta", "até", "back on",
              "hasta el", "até o", "até dia"),
    "for": ("for", "por", "durante"),
}
# A denial softened by an adverb is the same answer ("it's not really working out", "not quite a fit").
_SOFTENERS = ("really", "quite", "exactly", "totally", "entirely", "super", "realmente", "muy", "muito")
for _tag in ("not_a_fit", "decline"):
    PHRASES[_tag] += tuple(f"isn't {phrase[4:]}" for phrase in PHRASES[_tag]  # "this isn't a fit"
                           if phrase.startswith("not a") and f"isn't {phrase[4:]}" not in PHRASES[_tag])
    PHRASES[_tag] += tuple(
        f"{first} {softener} {rest}"
        for first, _, rest in (phrase.partition(" ") for phrase in PHRASES[_tag])
        if first in ("not", "isn't", "doesn't", "didn't", "no", "não") and rest
        for softener in _SOFTENERS)

# Words that never count against a command dominating a post ("please STOP, thanks").
FILLERS = frozenset({
    "please", "pls", "plz", "thanks", "thank", "you", "thx", "ty", "tysm", "hi", "hey", "hello",
    "bot", "now", "me", "my", "i", "i'm", "im", "a", "an", "the", "to", "for", "this", "from", "of",
    "program", "programme", "mentorship", "mentoring", "just", "all", "again", "right", "asap", "ok",
    "okay", "sorry", "team", "por", "favor", "gracias", "obrigado", "obrigada", "hola", "oi", "ola",
    "de", "del", "la", "el", "o", "do", "da", "mi", "meu", "minha", "and", "so", "but", "oh", "also",
    "y", "e", "it", "want", "would", "like", "i'd", "can", "could", "quiero", "quero", "en", "em",
    "yo", "eu", "here", "anymore", "for", "now", "today", "is", "was", "be", "we", "us", "our",
    "with", "your", "on", "in", "at", "out", "up", "off", "mentor", "programa", "bye", "thx",
})
NEGATORS = frozenset({
    "not", "don't", "dont", "never", "no", "can't", "cant", "cannot", "won't", "wont", "isn't",
    "aren't", "wasn't", "didn't", "didnt", "doesn't", "doesnt", "longer", "nunca", "nao", "nem",
    "unable", "without",
})
# A seeking phrase after these is someone else's ("anyone looking for a mentor?").
NOT_SELF = frozenset({
    "he's", "she's", "they're", "he", "she", "they", "someone", "anyone", "everyone", "who",
    "any", "anybody", "somebody",
    "who's", "whos", "you", "you're", "youre", "your", "if", "friend", "friends",
    "mentees", "students", "residents", "alguien", "alguem", "quien", "quem", "voce",
    "son", "daughter", "husband", "wife", "partner", "mentora", "mentor's",
})
# One person's role: before a seeking phrase it is the author ("PGY-1 gen surg resident looking
# for a mentor", "MS4, future EM resident, looking for..."), unless someone else owns it
# ("my resident is looking for a mentor", "any student looking for...").
ROLE_NOUNS = frozenset({"student", "resident", "mentee", "intern", "estudiante", "residente",
                        "estudante", "interno", "interna"})
OWNERS = frozenset({"my", "our", "your", "his", "her", "their", "this", "that", "any", "every",
                    "each", "mi", "mis", "su", "sus", "nuestro", "nuestra", "meu", "minha", "seu",
                    "sua", "nosso", "nossa", "tu", "teu", "tua"})
# A mentor word after these is a mentor one already has ("lucky to have a mentor like her").
GRATITUDE = frozenset({
    "lucky", "blessed", "grateful", "thankful", "proud", "honored", "thanks", "thank", "my", "our",
    "mi", "meu", "minha", "gracias", "obrigado", "obrigada", "already", "ya", "ja",
})
ACHIEVEMENT_VETOES = frozenset({
    "hope", "hoping", "hopefully", "if", "wish", "waiting", "fingers", "🤞", "praying", "wait",
    "not", "didn't", "didnt", "never", "wasn't", "weren't", "rejected", "ojala", "espero",
    "tomara", "no", "nao", "will", "when", "whether", "yet",
})
CONGRATULATIONS = frozenset({
    "congrats", "congratulations", "congratulate", "felicidades", "felicitaciones",
    "enhorabuena", "parabens", "kudos", "shoutout", "proud", "prouder",
})

NUMBERS: dict[str, int] = {
    **{str(n): n for n in range(100)}, **{f"{n:02d}": n for n in range(10)},
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "couple": 2,
    "cero": 0, "uno": 1, "una": 1, "un": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
    "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10,
    "um": 1, "uma": 1, "dois": 2, "duas": 2, "quatro": 4, "sete": 7, "oito": 8, "nove": 9, "dez": 10,
}
MONTHS: dict[str, int] = {}
for _n, _names in enumerate((
        "january jan enero ene janeiro", "february feb febrero fevereiro fev",
        "march mar marzo marco", "april apr abril abr", "may mayo maio mai",
        "june jun junio junho", "july jul julio julho", "august aug agosto ago",
        "september sep sept septiembre setiembre setembro set",
        "october oct octubre outubro out", "november nov noviembre novembro",
        "december dec diciembre dic dezembro dez"), start=1):
    for _name in _names.split():
        MONTHS[_name] = _n
UNITS: dict[str, str] = {
    **dict.fromkeys(("day", "days", "dia", "dias"), "days"),
    **dict.fromkeys(("week", "weeks", "wk", "wks", "semana", "semanas"), "weeks"),
    **dict.fromkeys(("month", "months", "mo", "mos", "mes", "meses"), "months"),
}
