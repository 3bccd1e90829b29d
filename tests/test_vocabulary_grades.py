"""Training grades outside the US read as career stages: UK, Irish, Spanish, Latin American,
Brazilian and Portuguese trainees get the stage their grade means, so matching can use the
seniority gap for them too. Bios and posts here are written for this test, not taken from data.
"""
from __future__ import annotations

import pytest

from mentorbot.config.vocabulary import load_vocabulary
from mentorbot.domain.classify import Classifier

CLASSIFIER = Classifier(load_vocabulary())  # the phrase rules alone: stage comes from the vocabulary
JOIN = "@MedMentorBot #MedMentorMatch looking for a mentor"


def stage_of_bio(bio: str) -> str | None:
    return CLASSIFIER.classify(JOIN, bio).stage


UK_AND_IRELAND = [
    ("FY1 doctor in Leeds", "resident"),
    ("F1 in Manchester | aspiring GP", "resident"),
    ("F2 doctor, London 🇬🇧", "resident"),
    ("Foundation doctor | Wales", "resident"),
    ("SHO in paediatrics, Belfast", "resident"),
    ("CT2 anaesthetics | Bristol", "resident"),
    ("ST3 cardiology | Oxford deanery", "resident"),
    ("ST7 general surgery", "resident"),
    ("StR in Renal Medicine, Newcastle", "resident"),
    ("SpR haematology, Dublin", "resident"),
    ("Registrar in emergency medicine", "resident"),
    ("Med reg on nights again ☕", "resident"),
    ("Surgical registrar | Glasgow", "resident"),
    ("IMT2 | Birmingham | aspiring gastro", "resident"),
    ("IMT | NHS | tea enthusiast", "resident"),
    ("GPST1 in Bristol", "resident"),
    ("GP trainee, Cornwall", "resident"),
    ("Core trainee in psychiatry, Cardiff", "resident"),
    ("Specialty trainee in O&G", "resident"),
    ("Academic Clinical Fellow in Paediatrics, Oxford", "resident"),
    ("NCHD in Cork", "resident"),
    ("Intern doctor, St James's Hospital Dublin", "resident"),
    ("Clinical fellow in ED, Royal London", "fellow"),
    ("Consultant cardiologist, NHS", "attending"),
    ("Locum consultant in acute medicine", "attending"),
    ("GP partner in Yorkshire", "attending"),
    ("Salaried GP | mum of 2", "attending"),
    ("Training Programme Director, general surgery", "senior"),
    ("Head of Department, Anaesthesia", "senior"),
    ("Clinical Director for Emergency Medicine", "senior"),
    ("Medical student, Edinburgh", "student"),
    ("3rd year medic at Imperial", "student"),
    ("Final year medic | future surgeon", "student"),
    ("Intercalating in pharmacology, Cardiff", "student"),
    ("Final Med student, UCD", "student"),
    ("Aspiring medic | UCAT done, BMAT next", "premed"),
]

SPAIN_AND_LATIN_AMERICA = [
    ("MIR R2 Pediatría | Madrid", "resident"),
    ("R3 de Cirugía General | Hospital Italiano", "resident"),
    ("R1 Medicina Familiar y Comunitaria", "resident"),
    ("Residente de Neurología", "resident"),
    ("Adjunta de Cardiología, Hospital 12 de Octubre", "attending"),
    ("Médico adjunto, Medicina Interna", "attending"),
    ("FEA Anestesiología | Valencia", "attending"),
    ("Tutor de residentes de MFyC", "attending"),
    ("Jefe de Servicio de Urología", "senior"),
    ("Jefa de servicio, Pediatría", "senior"),
    ("Médico interno de pregrado | UNAM", "student"),
    ("Estudiante de bachillerato, quiero estudiar medicina", "premed"),
    ("2º de Bachillerato | me encanta la biología", "premed"),
]

BRAZIL_AND_PORTUGAL = [
    ("R2 Clínica Médica | USP", "resident"),
    ("R1 de Ortopedia | Recife", "resident"),
    ("Residente de pediatria | BH", "resident"),
    ("Interno de medicina | UFMG", "student"),
    ("Internato na UFRJ 🩺", "student"),
    ("6º ano de medicina | UFRGS", "student"),
    ("Preceptora da residência de MFC", "attending"),
    ("Professor titular de cardiologia", "senior"),
    ("Fazendo cursinho pré-vestibular 📚", "premed"),
    ("Pré-vestibular | sonho: medicina", "premed"),
    ("Vestibular de medicina 2027 🙏", "premed"),
    ("Interno de formação específica em Medicina Interna | Lisboa", "resident"),
    ("Interna de formação geral | Porto", "resident"),
    ("Assistente hospitalar de Cardiologia | Coimbra", "attending"),
]


class TestNonUSGradesReadAsStages:
    @pytest.mark.parametrize(("bio", "stage"), UK_AND_IRELAND)
    def test_uk_and_irish_grades(self, bio: str, stage: str) -> None:
        assert stage_of_bio(bio) == stage

    @pytest.mark.parametrize(("bio", "stage"), SPAIN_AND_LATIN_AMERICA)
    def test_spanish_and_latin_american_grades(self, bio: str, stage: str) -> None:
        assert stage_of_bio(bio) == stage

    @pytest.mark.parametrize(("bio", "stage"), BRAZIL_AND_PORTUGAL)
    def test_brazilian_and_portuguese_grades(self, bio: str, stage: str) -> None:
        assert stage_of_bio(bio) == stage

    @pytest.mark.parametrize(("text", "stage", "role"), [
        ("@MedMentorBot #MedMentorMatch FY2 in Leeds, looking for a GP mentor 🙏", "resident", "mentee"),
        ("@MedMentorBot #MedMentorMatch soy R2 de anestesiología y busco mentora", "resident", "mentee"),
        ("@MedMentorBot #MedMentorMatch consultant in acute medicine, happy to mentor", "attending",
         "mentor"),
        ("@MedMentorBot #MedMentorMatch sou preceptora de MFC e quero ser mentora", "attending", "mentor"),
    ])
    def test_a_grade_in_the_post_sets_stage_and_role(self, text: str, stage: str, role: str) -> None:
        got = CLASSIFIER.classify(text)
        assert (got.intent, got.stage, got.role) == ("join", stage, role)


class TestSpecialtiesInTheirLocalNames:
    @pytest.mark.parametrize(("bio", "specialty"), [
        ("ST4 obs & gynae", "obstetrics_gynecology"),
        ("T&O SHO", "orthopaedic_surgery"),
        ("Trauma and orthopaedics ST5", "orthopaedic_surgery"),
        ("Locum consultant in acute medicine", "internal_medicine"),
        ("IMT2 | Birmingham", "internal_medicine"),
        ("GPST3 | Devon", "family_medicine"),
        ("Histopathology ST4", "pathology"),
        ("Care of the elderly consultant", "geriatrics"),
        ("FEA Aparato Digestivo | Sevilla", "gastroenterology"),
        ("R2 Radiodiagnóstico | Bilbao", "radiology"),
        ("Interna de MGF | Braga", "family_medicine"),
    ])
    def test_british_spanish_and_portuguese_names(self, bio: str, specialty: str) -> None:
        assert specialty in CLASSIFIER.classify(JOIN, bio).specialties


class TestLookalikesAreNotGrades:
    def test_an_english_intern_is_a_resident_not_a_student(self) -> None:
        assert stage_of_bio("Peds intern 🧸 | Boston") == "resident"

    def test_internal_medicine_alone_names_no_stage(self) -> None:
        got = CLASSIFIER.classify(JOIN, "Passionate about internal medicine")
        assert (got.stage, got.specialties) == (None, ("internal_medicine",))

    def test_a_parent_of_three_is_no_stage(self) -> None:
        assert stage_of_bio("Dad of 3") is None

    def test_a_star_wars_droid_is_not_a_second_year_resident(self) -> None:
        assert stage_of_bio("R2-D2 fan") is None

    def test_formula_one_is_not_a_foundation_year(self) -> None:
        assert stage_of_bio("F1 fan 🏎️ | weekend baker") is None

    def test_vestibular_as_a_medical_word_is_not_the_brazilian_entrance_exam(self) -> None:
        assert stage_of_bio("Vestibular neurology, Mayo | dizziness nerd") != "premed"

    def test_adjunto_as_attached_is_not_a_grade(self) -> None:
        assert stage_of_bio("Adjunto mi CV por si les interesa") is None

    def test_a_relative_in_premed_is_not_the_author(self) -> None:
        got = CLASSIFIER.classify("le pasé el link a mi prima que está en premédico", "R2 Pediatría")
        assert got.stage == "resident"
