"""The words of the simulated community: how people name specialties, places, themselves.

Every specialty phrase here is a term the shipped vocabulary knows for that specialty (a test
checks it), so that a perfect classifier could recover the truth from what people write.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Spec", "SPECS", "COMBOS", "SUBSPECIALTIES", "SPEC_WEIGHTS", "INSTITUTIONS", "UNIVERSITIES",
           "FIRST_NAMES", "LAST_NAMES", "IDENTITY_TAGS", "HOBBIES", "EMOJI", "ZONES", "FLAGS", "CONFERENCES",
           "JOURNALS", "PRONOUNS"]


@dataclass(frozen=True, slots=True)
class Spec:
    """One specialty, or a combination named by one term ("heme/onc"): its ids and phrases."""

    ids: tuple[str, ...]
    en: tuple[str, ...]  # the field, as people write it: "cardiology", "cards"
    who: tuple[str, ...]  # the people who practise it: "cardiologist"
    tags: tuple[str, ...]  # community hashtags, with "#"
    es: tuple[str, ...]
    pt: tuple[str, ...]


def _s(id_: str, en: tuple, who: tuple, tags: tuple, es: tuple, pt: tuple) -> Spec:
    return Spec((id_,), en, who, tags, es, pt)


# _s(id, English field names, who practises it, hashtags, Spanish, Portuguese)
_SINGLE = [
    _s("allergy_immunology", ("allergy & immunology", "allergy/immunology", "allergy"),
       ("allergist", "immunologist"), ("#Allergy",), ("alergología", "alergia e inmunología"),
       ("alergia e imunologia", "alergologia")),
    _s("anesthesiology", ("anesthesiology", "anesthesia", "anesth"), ("anesthesiologist",), ("#AnesTwitter",),
       ("anestesiología", "anestesia"), ("anestesiologia", "anestesia")),
    _s("cardiology", ("cardiology", "cards", "cardio"), ("cardiologist",), ("#CardioTwitter",),
       ("cardiología",), ("cardiologia",)),
    _s("cardiothoracic_surgery", ("cardiothoracic surgery", "CT surgery", "cardiac surgery"),
       ("cardiothoracic surgeon", "cardiac surgeon"), ("#CTSurgery",),
       ("cirugía cardiotorácica", "cirugía cardiovascular"), ("cirurgia cardíaca", "cirurgia cardiotorácica")),
    _s("critical_care", ("critical care", "crit care", "ICU"), ("intensivist",), ("#CritCare", "#FOAMcc"),
       ("medicina intensiva", "cuidados intensivos"), ("terapia intensiva", "medicina intensiva")),
    _s("dermatology", ("dermatology", "derm"), ("dermatologist",), ("#DermTwitter",), ("dermatología",),
       ("dermatologia",)),
    _s("emergency_medicine", ("emergency medicine", "EM"), ("emergency physician", "ER doc"),
       ("#EMTwitter", "#FOAMem"), ("medicina de urgencias", "urgencias", "medicina de emergencias"),
       ("medicina de emergência",)),
    _s("endocrinology", ("endocrinology", "endo"), ("endocrinologist",), ("#Endocrinology",),
       ("endocrinología",), ("endocrinologia",)),
    _s("family_medicine", ("family medicine", "FM", "family practice"), ("family physician", "family doctor"),
       ("#FamilyMedicine", "#FamMed"), ("medicina familiar",), ("medicina de família",)),
    _s("gastroenterology", ("gastroenterology", "GI", "gastro", "hepatology"), ("gastroenterologist",),
       ("#GITwitter",), ("gastroenterología",), ("gastroenterologia",)),
    _s("general_surgery", ("general surgery", "gen surg", "surgery"), ("surgeon", "general surgeon"),
       ("#SurgTwitter",), ("cirugía general", "cirugía"), ("cirurgia geral", "cirurgia")),
    _s("geriatrics", ("geriatrics", "geriatric medicine", "geri"), ("geriatrician",), ("#GeriTwitter",),
       ("geriatría",), ("geriatria",)),
    _s("hematology", ("hematology", "heme"), ("hematologist",), ("#HemeTwitter",), ("hematología",),
       ("hematologia",)),
    _s("infectious_disease", ("infectious diseases", "ID", "infectious disease"), ("ID doc",), ("#IDTwitter",),
       ("infectología", "enfermedades infecciosas"), ("infectologia",)),
    _s("internal_medicine", ("internal medicine", "IM", "hospital medicine"), ("internist", "hospitalist"),
       ("#IMTwitter",), ("medicina interna",), ("clínica médica", "medicina interna")),
    _s("medical_genetics", ("genetics", "medical genetics", "genomics"), ("geneticist",), ("#Genetics",),
       ("genética médica", "genética"), ("genética médica",)),
    _s("nephrology", ("nephrology", "nephro", "renal medicine"), ("nephrologist",), ("#NephTwitter",),
       ("nefrología",), ("nefrologia",)),
    _s("neurology", ("neurology", "neuro"), ("neurologist",), ("#NeuroTwitter",), ("neurología",),
       ("neurologia",)),
    _s("neurosurgery", ("neurosurgery", "neurosurg", "nsgy"), ("neurosurgeon",), ("#Neurosurgery",),
       ("neurocirugía",), ("neurocirurgia",)),
    _s("obstetrics_gynecology", ("OB/GYN", "obgyn", "obstetrics and gynecology", "MFM"),
       ("obstetrician", "ob-gyn"), ("#OBGYN", "#ObGynTwitter"),
       ("ginecología y obstetricia", "gineco-obstetricia"), ("ginecologia e obstetrícia", "obstetrícia")),
    _s("oncology", ("oncology", "onc", "med onc"), ("oncologist",), ("#OncTwitter",), ("oncología",),
       ("oncologia",)),
    _s("ophthalmology", ("ophthalmology", "ophtho"), ("ophthalmologist",), ("#OphthoTwitter",),
       ("oftalmología",), ("oftalmologia",)),
    _s("orthopaedic_surgery", ("orthopaedic surgery", "ortho", "orthopedics"),
       ("orthopaedic surgeon", "orthopedic surgeon"), ("#OrthoTwitter",),
       ("ortopedia y traumatología", "traumatología"), ("ortopedia e traumatologia", "ortopedia")),
    _s("otolaryngology", ("ENT", "otolaryngology", "head and neck surgery"), ("ENT surgeon",), ("#ENT",),
       ("otorrinolaringología", "otorrino"), ("otorrinolaringologia",)),
    _s("palliative_care", ("palliative care", "palliative medicine", "HPM"), ("palliative care physician",),
       ("#hpm",), ("cuidados paliativos", "medicina paliativa"), ("cuidados paliativos",)),
    _s("pathology", ("pathology", "AP/CP"), ("pathologist",), ("#PathTwitter",),
       ("anatomía patológica", "patología"), ("patologia",)),
    _s("pediatrics", ("pediatrics", "peds"), ("pediatrician",), ("#PedsTwitter",), ("pediatría",),
       ("pediatria",)),
    _s("physical_medicine_rehabilitation", ("PM&R", "physiatry", "rehab medicine"), ("physiatrist",),
       ("#Physiatry",), ("medicina física y rehabilitación", "fisiatría"), ("fisiatria",)),
    _s("plastic_surgery", ("plastic surgery", "plastics"), ("plastic surgeon",), ("#PlasticSurgery",),
       ("cirugía plástica",), ("cirurgia plástica",)),
    _s("psychiatry", ("psychiatry", "psych"), ("psychiatrist",), ("#PsychTwitter",), ("psiquiatría",),
       ("psiquiatria",)),
    _s("public_health", ("public health", "global health", "preventive medicine"), ("epidemiologist",),
       ("#PublicHealth", "#GlobalHealth"), ("salud pública", "salud global"),
       ("saúde pública", "saúde coletiva")),
    _s("pulmonology", ("pulmonology", "pulm", "pulmonary medicine"), ("pulmonologist",), ("#PulmTwitter",),
       ("neumología",), ("pneumologia",)),
    _s("radiation_oncology", ("radiation oncology", "rad onc"), ("radiation oncologist",), ("#RadOnc",),
       ("oncología radioterápica", "radioterapia"), ("radioterapia",)),
    _s("radiology", ("radiology", "rads", "IR"), ("radiologist",), ("#RadTwitter",), ("radiología",),
       ("radiologia",)),
    _s("rheumatology", ("rheumatology", "rheum"), ("rheumatologist",), ("#RheumTwitter",), ("reumatología",),
       ("reumatologia",)),
    _s("urology", ("urology", "uro"), ("urologist",), ("#UroSoMe",), ("urología",), ("urologia",)),
    _s("vascular_surgery", ("vascular surgery", "vasc surg"), ("vascular surgeon",), ("#VascSurg",),
       ("cirugía vascular",), ("cirurgia vascular",)),
    _s("medical_education", ("medical education", "med ed"), ("clinician educator", "medical educator"),
       ("#MedEd",), ("educación médica",), ("educação médica",)),
]

#: Every single specialty, by id.
SPECS: dict[str, Spec] = {s.ids[0]: s for s in _SINGLE}

#: Terms that name several specialties at once. Spanish and Portuguese join the single names.
COMBOS: tuple[Spec, ...] = (
    Spec(("hematology", "oncology"), ("heme/onc", "hem/onc", "hematology/oncology"), ("heme/onc doc",),
         ("#HemeOnc",), ("oncohematología",), ("onco-hematologia",)),
    Spec(("pulmonology", "critical_care"), ("PCCM", "pulm/crit", "pulmonary and critical care"), ("PCCM doc",),
         ("#PulmCrit",), (), ()),
    Spec(("internal_medicine", "pediatrics"), ("med-peds", "med/peds"), ("med-peds doc",), ("#MedPeds",), (),
         ()),
    Spec(("pediatrics", "emergency_medicine"), ("peds EM", "pediatric emergency medicine"), ("peds EM doc",),
         (), (), ()),
    Spec(("pediatrics", "cardiology"), ("peds cards", "pediatric cardiology"), ("peds cards doc",), (), (), ()),
    Spec(("pediatrics", "hematology", "oncology"), ("peds heme/onc",), ("peds heme/onc doc",), (), (), ()),
    Spec(("pediatrics", "critical_care"), ("PICU", "pediatric critical care"), ("PICU doc",), ("#PedsICU",), (),
         ()),
    Spec(("pediatrics", "psychiatry"), ("child psychiatry", "child and adolescent psychiatry"),
         ("child psychiatry doc",), (), (), ()),
    Spec(("obstetrics_gynecology", "oncology"), ("gyn onc", "gynecologic oncology"), ("gyn onc doc",), (), (),
         ()),
    Spec(("general_surgery", "oncology"), ("surg onc", "surgical oncology"), ("surg onc",), (), (), ()),
    Spec(("neurology", "critical_care"), ("neurocritical care", "neuro ICU"), ("neuro ICU doc",), (), (), ()),
    Spec(("cardiology", "oncology"), ("cardio-oncology",), ("cardio-oncology doc",), (), (), ()),
    Spec(("dermatology", "pathology"), ("dermpath", "dermatopathology"), ("dermpath doc",), (), (), ()),
)

#: Subspecialties reached through a fellowship after internal medicine: a resident who wants one
#: is an IM resident ("PGY-2 IM resident, future cardiologist").
SUBSPECIALTIES = frozenset({"allergy_immunology", "cardiology", "critical_care", "endocrinology",
                            "gastroenterology", "geriatrics", "hematology", "infectious_disease", "nephrology",
                            "oncology", "palliative_care", "pulmonology", "rheumatology"})

#: How often each specialty is someone's main interest (roughly US trainee numbers, rounded).
SPEC_WEIGHTS: dict[str, int] = {
     "internal_medicine": 10, "cardiology": 8, "emergency_medicine": 7,
    "pediatrics": 7, "general_surgery": 6, "obstetrics_gynecology": 5, "psychiatry": 5, "family_medicine": 5,
    "orthopaedic_surgery": 4, "dermatology": 4, "radiology": 4, "anesthesiology": 4, "neurology": 4,
    "oncology": 3, "infectious_disease": 3, "gastroenterology": 3, "critical_care": 3, "hematology": 2,
    "nephrology": 2, "endocrinology": 2, "neurosurgery": 2, "otolaryngology": 2, "ophthalmology": 2,
    "plastic_surgery": 2, "urology": 2, "pathology": 2, "public_health": 2, "cardiothoracic_surgery": 2,
    "pulmonology": 1, "rheumatology": 1, "geriatrics": 1, "palliative_care": 1, "allergy_immunology": 1,
    "medical_genetics": 1, "physical_medicine_rehabilitation": 1, "radiation_oncology": 1,
    "vascular_surgery": 1, "medical_education": 0,
}

#: Hospitals and schools, with the X account a proud person might tag ("" when none).
INSTITUTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (("UCSF", "@UCSFMedicine"), ("Hopkins", "@HopkinsMed"), ("Penn", ""), ("Michigan", "@umichmedicine"),
           ("Emory", ""), ("Howard", ""), ("Morehouse SOM", ""), ("Meharry", ""), ("UNC", ""), ("UW", ""),
           ("Baylor", ""), ("UT Southwestern", "@UTSW_News"), ("Mayo", "@MayoClinic"), ("Duke", ""),
           ("Northwestern", ""), ("Columbia", ""), ("NYU", ""), ("Mount Sinai", "@MountSinaiNYC"), ("BU", ""),
           ("Tufts", ""), ("Pitt", ""), ("Vanderbilt", ""), ("WashU", ""), ("UCLA", ""), ("Stanford", ""),
           ("OHSU", ""), ("UChicago", ""), ("Rush", ""), ("Cleveland Clinic", "@ClevelandClinic"), ("MGH", ""),
           ("Brigham", ""), ("Montefiore", ""), ("Jefferson", ""), ("Temple", ""), ("LSU", ""), ("Tulane", ""),
           ("UAB", ""), ("UMiami", ""), ("UNM", ""), ("Drexel", ""), ("Georgetown", ""), ("Wayne State", ""),
           ("Henry Ford", ""), ("Loyola", ""), ("Ochsner", ""), ("UCSD", ""), ("UC Davis", ""),
           ("Cook County", ""), ("Grady", ""), ("Bellevue", ""), ("Parkland", ""), ("Highland", ""),
           ("Harbor-UCLA", ""), ("UPR", "")),
    # Spanish and Portuguese speakers study and work where they live.
    "America/Mexico_City": (("UNAM", ""), ("IPN", ""), ("Tec de Monterrey", ""), ("INCMNSZ", ""), ("UdeG", "")),
    "America/Bogota": (("UdeA", ""), ("UNAL", ""), ("Javeriana", ""), ("Universidad del Rosario", "")),
    "America/Argentina/Buenos_Aires": (("UBA", ""), ("Hospital Italiano", ""), ("Hospital de Clínicas", "")),
    "America/Lima": (("UPCH", ""), ("San Marcos", "")),
    "America/Santiago": (("UChile", ""), ("PUC", "")),
    "Europe/Madrid": (("Hospital La Paz", ""), ("Vall d'Hebron", ""), ("Hospital 12 de Octubre", ""),
                      ("Complutense", "")),
    "America/Sao_Paulo": (("USP", ""), ("UNIFESP", ""), ("UFRJ", ""), ("UFMG", ""), ("UNICAMP", ""),
                          ("UFBA", ""), ("UFPE", ""), ("HCFMUSP", ""), ("Santa Casa", ""), ("UFRGS", ""),
                          ("UnB", "")),
}

#: Where pre-meds study (English only).
UNIVERSITIES = ("UCLA", "UT Austin", "Spelman", "Xavier", "Howard", "UMich", "Rutgers", "UIC", "CUNY", "UCF",
                "Hunter", "Morehouse", "FIU", "UGA", "ASU", "Berkeley", "Wellesley", "Tougaloo", "UNM", "UTEP",
                "community college", "Georgia State", "Penn State", "UMD")

# First names by language: (name, "f" | "m" | "x"). Varied, as #MedTwitter is.
FIRST_NAMES: dict[str, tuple[tuple[str, str], ...]] = {
    "en": tuple((n, g) for g, names in (
        ("f", "Maya Aaliyah Priya Jessica Fatima Mei Grace Nia Imani Sarah Leila Ngozi Hannah Emily Aisha "
              "Keisha Olivia Sofia Chloe Amara Zainab Ava Lauren Tiana Yasmin Nadia Ruth Esther Mariam "
              "Jasmine Kiara Destiny Anjali Sunita Hye-jin Linh Thu Adaeze Folasade Abigail Megan Rachel "
              "Naomi Layla"),
        ("m", "Marcus Jamal Andre Kwame Raj Arjun Daniel David Omar Ahmed Chen Wei Kenji Tyler Brandon "
              "Malik Darius Jordan Michael Chris Jonathan Samuel Ibrahim Tunde Chidi Emeka Ravi Vikram "
              "Hassan Yusuf Nathan Ethan Isaiah Xavier Kofi Minh Hiro Ben Noah Elijah Terrence DeShawn "
              "Trevor Aaron Kareem"),
        ("x", "Alex Sam Jordan Taylor Casey Riley Quinn Avery Rowan Skyler Jamie Morgan"),
    ) for n in names.split()),
    "es": tuple((n, g) for g, names in (
        ("f", "Sofía Valentina Camila Lucía María Daniela Fernanda Ximena Paula Andrea Mariana Gabriela "
              "Isabella Renata Natalia Carolina"),
        ("m", "Santiago Mateo Diego Alejandro Sebastián Andrés Carlos Javier Miguel Emiliano Felipe Juan "
              "Luis Rodrigo Tomás"),
    ) for n in names.split()),
    "pt": tuple((n, g) for g, names in (
        ("f", "Ana Beatriz Larissa Juliana Fernanda Letícia Camila Gabriela Mariana Luana Bruna Thaís "
              "Isabela Rafaela Clara"),
        ("m", "João Pedro Lucas Gabriel Rafael Matheus Gustavo Felipe Thiago Bruno Leonardo Caio Vinícius "
              "Diego Rodrigo"),
    ) for n in names.split()),
}

LAST_NAMES: dict[str, tuple[str, ...]] = {
    "en": tuple("Johnson Williams Brown Okafor Patel Nguyen Kim Chen Garcia Martinez Rodriguez Hernandez "
                "Lopez Smith Jones Davis Washington Jackson Thompson Robinson Lewis Walker Khan Ali Ahmed "
                "Singh Shah Gupta Reddy Iyer Park Lee Wong Tran Pham Adeyemi Mensah Asante Boateng Eze Nwosu "
                "Obi Diallo Haddad Nasser Cohen Levy Murphy O'Brien Sullivan Rossi Novak Kowalski Ivanova "
                "Tanaka Sato Yamamoto Baker Carter Mitchell Brooks Coleman Jenkins Hughes Price Foster "
                "Bennett Reyes Cruz Flores Torres Rivera Morales Ortiz Castillo Begay Yazzie Tsosie Harjo".split()),
    "es": tuple("García Rodríguez Martínez Hernández López González Pérez Sánchez Ramírez Torres Flores "
                "Rivera Gómez Díaz Cruz Morales Reyes Gutiérrez Ortiz Chávez Ruiz Jiménez Mendoza Vargas "
                "Castillo Romero Herrera Medina Aguilar Vega".split()),
    "pt": tuple("Silva Santos Oliveira Souza Rodrigues Ferreira Alves Pereira Lima Gomes Costa Ribeiro "
                "Martins Carvalho Almeida Lopes Soares Fernandes Vieira Barbosa Rocha Dias Nascimento Andrade "
                "Moreira Nunes Marques Machado Mendes Freitas".split()),
}

#: Community and identity hashtags some people put in their bios, by who would use them
#: ("f", "m", or "" for anyone). The bot must drop them all.
IDENTITY_TAGS: dict[str, tuple[str, ...]] = {
    "": ("#BlackInMed", "#FirstGenMed", "#FirstGen", "#LatinxInMed", "#LGBTQinMedicine",
         "#DocsWithDisabilities", "#IMG", "#NativesInMedicine", "#MuslimDocs", "#URiM", "#BlackInMedicine",
         "#DiversityInMedicine"),
    "f": ("#BlackWomenInMedicine", "#WomenInMedicine", "#WomenInSurgery", "#ILookLikeASurgeon",
          "#LatinasInMedicine", "#MomsInMedicine", "#DocMoms", "#WomenInCardiology"),
    "m": ("#BlackMenInMedicine", "#DadsInMedicine", "#LatinosInMedicine"),
}

HOBBIES = {
    "en": ("coffee", "ultrasound", "#MedEd", "running", "dogs 🐶", "cats", "baking", "hiking", "soccer",
           "gym rat", "plant parent 🌱", "bookworm 📚", "guitar 🎸", "basketball", "podcasts", "cooking",
           "travel ✈️", "yoga", "climbing", "tacos 🌮", "jazz", "photography 📷", "chess", "karaoke",
           "marathoner", "bad puns", "board games", "sneakerhead", "gardening", "pho enthusiast"),
    "es": ("café ☕", "fútbol ⚽", "lectura 📚", "viajar ✈️", "música", "perros 🐶", "correr", "cocinar"),
    "pt": ("café ☕", "futebol ⚽", "leitura 📚", "viagens ✈️", "música", "cachorros 🐶", "corrida", "samba"),
}

EMOJI = ("🩺", "🫀", "🧠", "🦴", "👶", "🔬", "💉", "☕", "📚", "✨", "💪", "🙌", "🎉", "🥹", "🙏", "❤️", "💙", "🏥", "📈", "🌟",
         "😅", "🤓")

PRONOUNS = {
    "f": ("(she/her)", "she/her", "she/they"),
    "m": ("(he/him)", "he/him", "he/they"),
    "x": ("(they/them)", "they/them"),
}

#: Where people live: (IANA zone, weight). Spanish speakers spread over Latin America and Spain.
ZONES = {
    "en": (("America/New_York", 40), ("America/Chicago", 25), ("America/Denver", 8),
           ("America/Los_Angeles", 25), ("America/Puerto_Rico", 2)),
    "es": (("America/Mexico_City", 35), ("America/Bogota", 20), ("America/Argentina/Buenos_Aires", 15),
           ("America/Lima", 10), ("America/Santiago", 10), ("Europe/Madrid", 10)),
    "pt": (("America/Sao_Paulo", 100),),
}

FLAGS = {"America/Mexico_City": "🇲🇽", "America/Bogota": "🇨🇴", "America/Argentina/Buenos_Aires": "🇦🇷",
         "America/Lima": "🇵🇪", "America/Santiago": "🇨🇱", "Europe/Madrid": "🇪🇸", "America/Sao_Paulo": "🇧🇷"}

#: Meeting hashtags without the year (the year's last two digits are added), by the specialty named last.
CONFERENCES = {
    "cardiology": "#ACC", "emergency_medicine": "#ACEP", "pediatrics": "#PAS", "critical_care": "#SCCM",
    "oncology": "#ASCO", "hematology": "#ASH", "internal_medicine": "#ACPIM", "neurology": "#AANAM",
    "general_surgery": "#ACSCC", "psychiatry": "#APAAM", "radiology": "#RSNA", "dermatology": "#AAD",
    "gastroenterology": "#DDW", "nephrology": "#KidneyWk", "infectious_disease": "#IDWeek",
    "obstetrics_gynecology": "#ACOG", "family_medicine": "#AAFPFMX", "rheumatology": "#ACR",
    "medical_education": "#AAMC", "public_health": "#APHA", "cardiothoracic_surgery": "#AATS",
    "orthopaedic_surgery": "#AAOS", "anesthesiology": "#ANES", "urology": "#AUA", "otolaryngology": "#AAOHNSF",
    "ophthalmology": "#AAO", "plastic_surgery": "#PSTM", "neurosurgery": "#AANS", "radiation_oncology": "#ASTRO",
    "pathology": "#USCAP", "endocrinology": "#ENDO", "pulmonology": "#ATS", "geriatrics": "#AGS",
    "palliative_care": "#HPMAnnual", "allergy_immunology": "#AAAAI", "physical_medicine_rehabilitation": "#AAPMR",
    "medical_genetics": "#ACMG", "vascular_surgery": "#VAM",
}

JOURNALS = ("JAMA", "NEJM", "JACC", "Annals", "JGIM", "Academic Medicine", "Pediatrics", "CHEST", "BMJ",
            "Blood", "JCO", "Lancet", "Circulation", "Neurology", "Radiology", "AJKD", "CHEST Journal",
            "Cureus")
