"""The matching solver and the fairness measures it reports."""
from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings, strategies as st
from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

from mentorbot.config.vocabulary import load_vocabulary
from mentorbot.domain.campaign import Matching, MatchingWeights
from mentorbot.domain.fairness import LoadSummary, gini, load_summary
from mentorbot.domain.matching import Person, Solution, solve
from mentorbot.domain.matchscore import milli, score_pair, stage_allowed


class TestGini:
    def test_is_zero_for_no_loads_or_all_zero_loads(self):
        """An empty cohort or one where nobody has a mentee is perfectly even."""
        assert gini([]) == 0.0
        assert gini([0, 0, 0]) == 0.0

    def test_is_zero_when_every_mentor_carries_the_same(self):
        """Equal loads give Gini 0."""
        assert gini([2, 2, 2, 2]) == pytest.approx(0.0)

    def test_counts_idle_mentors_when_one_carries_everything(self):
        """One mentor holding all of n mentors' load gives (n - 1) / n."""
        assert gini([0, 0, 0, 4]) == pytest.approx(0.75)

    def test_matches_the_mean_absolute_difference_definition(self):
        """Gini = sum |xi - xj| / (2 n^2 mean) on a hand-checked example."""
        values = [1, 2, 3, 0]
        n, mean = len(values), sum(values) / len(values)
        expected = sum(abs(a - b) for a in values for b in values) / (2 * n * n * mean)
        assert gini(values) == pytest.approx(expected)

    @given(st.lists(st.integers(min_value=0, max_value=50), max_size=40))
    def test_stays_between_zero_and_one_and_ignores_order(self, values):
        """Gini is in [0, 1) and does not depend on the order of the loads."""
        value = gini(values)
        assert 0.0 <= value < 1.0
        assert gini(list(reversed(values))) == pytest.approx(value)


class TestLoadSummary:
    def test_summarises_mean_max_and_gini(self):
        """The summary holds the mean, the max and the Gini of the loads."""
        summary = load_summary([0, 1, 2])
        assert summary == LoadSummary(mean=1.0, max=2, gini=pytest.approx(4 / 9))

    def test_is_all_zero_for_no_mentors(self):
        """No mentors: nothing to summarise."""
        assert load_summary([]) == LoadSummary(mean=0.0, max=0, gini=0.0)


# --- the solver ---------------------------------------------------------------------------------


VOCABULARY = load_vocabulary()
#: a few specialties with parents, related ones and strangers, so every score part shows up
POOL = ("internal_medicine", "cardiology", "nephrology", "cardiothoracic_surgery", "general_surgery",
        "pediatrics")
STAGES = (*VOCABULARY.stage_ids, None)


def _score(mentee: Person, mentor: Person, matching: Matching, allow_preference: bool):
    return score_pair(mentee, mentor, vocabulary=VOCABULARY, matching=matching,
                      allow_preference=allow_preference)


def penalty(k: int, load_penalty: float) -> int:
    """The k-th mentee on a mentor costs load_penalty x (2k - 1) points: n mentees cost n^2 x it."""
    return round(load_penalty * (2 * k - 1) * 1000)


def _seats(mentor: Person, max_load: int) -> int:
    return max(0, min(mentor.capacity, max_load) - mentor.load)


def objective(pairs, mentors, matching, allow_preference, people) -> tuple[int, int]:
    """(mentees matched, total score minus load penalties, in thousandths), recomputed from scratch."""
    new: dict[str, int] = {}
    total = 0
    for mentee_id, mentor_id in pairs:
        pair = _score(people[mentee_id], people[mentor_id], matching, allow_preference)
        total += milli(pair.score)
        new[mentor_id] = new.get(mentor_id, 0) + 1
    for mentor in mentors:
        total -= sum(penalty(k, matching.load_penalty)
                     for k in range(mentor.load + 1, mentor.load + new.get(mentor.id, 0) + 1))
    return len(pairs), total


def brute_force(mentees, mentors, matching, max_load, allow_preference) -> tuple[int, int]:
    """The best (matched, objective) over every assignment (each mentee: nobody or one mentor)."""
    people = {p.id: p for p in (*mentees, *mentors)}
    options = [[None] + [m.id for m in mentors if _score(e, m, matching, allow_preference) is not None]
               for e in mentees]
    seats = {m.id: _seats(m, max_load) for m in mentors}
    best = (0, 0)
    for choice in itertools.product(*options):
        taken = [c for c in choice if c is not None]
        if any(taken.count(m) > seats[m] for m in set(taken)):
            continue
        pairs = [(e.id, c) for e, c in zip(mentees, choice) if c is not None]
        best = max(best, objective(pairs, mentors, matching, allow_preference, people))
    return best


def dense_optimum(mentees, mentors, matching, max_load, allow_preference) -> tuple[int, int]:
    """The same problem as one arc per (mentee, mentor) pair and one per mentor seat."""
    flow = SimpleMinCostFlow()
    source, sink = 0, 1
    node = {p.id: 2 + i for i, p in enumerate((*mentees, *mentors))}
    for e in mentees:
        flow.add_arc_with_capacity_and_unit_cost(source, node[e.id], 1, 0)
        for m in mentors:
            pair = _score(e, m, matching, allow_preference)
            if pair is not None:
                flow.add_arc_with_capacity_and_unit_cost(node[e.id], node[m.id], 1, -milli(pair.score))
    for m in mentors:
        for k in range(m.load + 1, m.load + _seats(m, max_load) + 1):
            flow.add_arc_with_capacity_and_unit_cost(node[m.id], sink, 1, penalty(k, matching.load_penalty))
    flow.set_node_supply(source, len(mentees))
    flow.set_node_supply(sink, -len(mentees))
    assert flow.solve_max_flow_with_min_cost() == SimpleMinCostFlow.OPTIMAL
    return flow.maximum_flow(), -flow.optimal_cost()


@st.composite
def cohorts(draw, max_mentees=5, max_mentors=3, profiles=None):
    """A random small cohort and settings: (mentees, mentors, matching, max_load, allow_preference)."""
    n_e = draw(st.integers(0, max_mentees))
    n_m = draw(st.integers(0, max_mentors))
    e_ids = [f"e{i}" for i in range(n_e)]
    m_ids = [f"m{i}" for i in range(n_m)]
    specialties = st.lists(st.sampled_from(POOL), max_size=3, unique=True).map(tuple)
    stage = st.sampled_from(STAGES)

    def profile():  # drawn from a short list when ``profiles`` is set: many people alike
        if profiles is None:
            return draw(stage), draw(specialties)
        return draw(st.sampled_from(profiles))

    mentees = []
    for mentee_id in e_ids:
        stage_id, spec = profile()
        mentees.append(Person(
            id=mentee_id, role="mentee", stage=stage_id, specialties=spec,
            exclude=frozenset(draw(st.lists(st.sampled_from(m_ids), max_size=2))) if m_ids and draw(
                st.integers(0, 3)) == 0 else frozenset(),
            preferred=frozenset(draw(st.lists(st.sampled_from((*POOL, "attending", "fellow", "not_an_id")),
                                              max_size=3)))))
    mentors = []
    for mentor_id in m_ids:
        stage_id, spec = profile()
        mentors.append(Person(
            id=mentor_id, role="mentor", stage=stage_id, specialties=spec,
            capacity=draw(st.integers(0, 4)), load=draw(st.integers(0, 2)),
            exclude=frozenset(draw(st.lists(st.sampled_from(e_ids), max_size=2))) if e_ids and draw(
                st.integers(0, 3)) == 0 else frozenset()))
    weights = MatchingWeights(*(draw(st.sampled_from((0.0, 0.5, 1.0, 2.0, 3.0))) for _ in range(4)))
    matching = Matching(min_stage_gap=draw(st.integers(1, 2)), ideal_stage_gap=draw(st.integers(1, 3)),
                        load_penalty=draw(st.sampled_from((0.0, 0.25, 1.0, 2.5))), weights=weights)
    return mentees, mentors, matching, draw(st.integers(0, 4)), draw(st.booleans())


def _solve(mentees, mentors, matching, max_load, allow_preference) -> Solution:
    return solve(mentees, mentors, vocabulary=VOCABULARY, matching=matching, max_load=max_load,
                 allow_preference=allow_preference)


def _check_constraints(solution, mentees, mentors, matching, max_load, allow_preference):
    people = {p.id: p for p in (*mentees, *mentors)}
    paired = [p.mentee for p in solution.pairs]
    assert len(paired) == len(set(paired)), "a mentee is paired twice"
    assert sorted(paired + list(solution.unmatched)) == sorted(e.id for e in mentees)
    new: dict[str, int] = {}
    for pair in solution.pairs:
        mentee, mentor = people[pair.mentee], people[pair.mentor]
        assert mentee.role == "mentee" and mentor.role == "mentor"
        assert stage_allowed(mentee.stage, mentor.stage, vocabulary=VOCABULARY,
                             min_stage_gap=matching.min_stage_gap)
        assert mentor.id not in mentee.exclude and mentee.id not in mentor.exclude
        expected = _score(mentee, mentor, matching, allow_preference)
        assert (pair.score, pair.parts) == (expected.score, expected.parts)
        assert sum(milli(part.points) for part in pair.parts) == milli(pair.score)
        assert len(pair.reasons) == len(pair.parts)
        new[mentor.id] = new.get(mentor.id, 0) + 1
    for mentor in mentors:
        assert new.get(mentor.id, 0) <= _seats(mentor, max_load)
        assert solution.loads[mentor.id] == mentor.load + new.get(mentor.id, 0)
    assert set(solution.loads) == {m.id for m in mentors}


def _achieved(case):
    """Solve a cohort, check every hard rule on the result, and return the objective it reached."""
    mentees, mentors, matching, max_load, allow_preference = case
    solution = _solve(*case)
    _check_constraints(solution, *case)
    people = {p.id: p for p in (*mentees, *mentors)}
    return objective([(p.mentee, p.mentor) for p in solution.pairs], mentors, matching, allow_preference,
                     people)


class TestSolverIsOptimal:
    @settings(max_examples=300, deadline=None)
    @given(cohorts())
    def test_matches_brute_force_on_count_and_objective_and_keeps_every_rule(self, case):
        """On random small cohorts the solver matches as many mentees, with as high a score net of
        load penalties, as trying every assignment; every pair keeps every hard rule."""
        assert _achieved(case) == brute_force(*case)

    @settings(max_examples=60, deadline=None)
    @given(cohorts(max_mentees=40, max_mentors=14, profiles=[
        ("student", ("cardiology",)), ("student", ("internal_medicine", "cardiology")),
        ("resident", ("nephrology",)), ("premed", ()), (None, ("pediatrics",)),
        ("attending", ("cardiology", "internal_medicine")), ("senior", ("general_surgery",)),
        ("fellow", ("cardiothoracic_surgery",)), ("attending", ("pediatrics",))]))
    def test_equals_the_dense_person_to_person_graph_when_many_people_are_alike(self, case):
        """Grouping alike people into classes loses nothing: the optimum equals the one of the
        graph with an arc for every mentee-mentor pair."""
        assert _achieved(case) == dense_optimum(*case)


class TestSolverBehaviour:
    @settings(max_examples=60, deadline=None)
    @given(cohorts(max_mentees=12, max_mentors=6), st.randoms(use_true_random=False))
    def test_gives_the_same_solution_whatever_the_input_order(self, case, rng):
        """The same cohort, shuffled, gives exactly the same pairs."""
        mentees, mentors, matching, max_load, allow_preference = case
        shuffled_e, shuffled_m = list(mentees), list(mentors)
        rng.shuffle(shuffled_e)
        rng.shuffle(shuffled_m)
        assert _solve(*case) == _solve(shuffled_e, shuffled_m, matching, max_load, allow_preference)

    def test_explains_every_pair_with_parts_that_add_up_to_the_score(self):
        """A pair carries its reasons: shared specialty, adjacency, seniority and preference."""
        mentee = Person("e1", "mentee", "student", ("cardiology", "nephrology"),
                        preferred=frozenset({"attending"}))
        mentor = Person("m1", "mentor", "attending", ("cardiology", "internal_medicine"), capacity=1)
        (pair,) = _solve([mentee], [mentor], Matching(), 3, True).pairs
        assert [part.kind for part in pair.parts] == ["shared_specialty", "adjacent_specialty",
                                                      "seniority", "preference"]
        assert pair.score == pytest.approx(sum(part.points for part in pair.parts))
        assert pair.reasons[0] == "shared specialty: cardiology (+3.0)"

    def test_caps_every_mentor_at_max_load_below_their_capacity(self):
        """A mentor offering 5 takes no more than the campaign's cap, counting mentees they have."""
        mentees = [Person(f"e{i}", "mentee", "student", ("cardiology",)) for i in range(6)]
        mentor = Person("m1", "mentor", "attending", ("cardiology",), capacity=5, load=1)
        solution = _solve(mentees, [mentor], Matching(), 3, False)
        assert len(solution.pairs) == 2 and solution.loads == {"m1": 3}
        assert solution.unmatched == ("e2", "e3", "e4", "e5")

    def test_among_alike_mentees_those_waiting_longest_get_the_seats(self):
        """Two seats, four mentees the solver cannot tell apart: the two who waited longest get
        them, whatever their ids, so the same people are not left out round after round."""
        waited = {"e1": 40.0, "e2": 10.0, "e3": 30.0, "e4": 20.0}
        mentees = [Person(i, "mentee", "student", ("cardiology",), waiting_since=t) for i, t in waited.items()]
        mentor = Person("m1", "mentor", "attending", ("cardiology",), capacity=2)
        solution = _solve(mentees, [mentor], Matching(), 3, False)
        assert {p.mentee for p in solution.pairs} == {"e2", "e4"}
        assert solution.unmatched == ("e3", "e1")

    def test_never_pairs_an_excluded_pair_even_when_it_is_the_best_fit(self):
        """A declined pair stays apart; the mentee gets the other mentor."""
        mentee = Person("e1", "mentee", "student", ("cardiology",), exclude=frozenset({"m1"}))
        best = Person("m1", "mentor", "attending", ("cardiology",), capacity=2)
        other = Person("m2", "mentor", "senior", ("pediatrics",), capacity=2)
        (pair,) = _solve([mentee], [best, other], Matching(), 3, False).pairs
        assert pair.mentor == "m2"

    def test_matches_more_mentees_before_it_seeks_a_higher_score(self):
        """Two mentees, one perfect mentor for the first, one mentor only the first may have:
        both get a mentor, though the first loses their best fit."""
        first = Person("e1", "mentee", "student", ("cardiology",))
        second = Person("e2", "mentee", "fellow", ("cardiology",))
        junior = Person("m1", "mentor", "resident", ("pediatrics",), capacity=1)  # only above a student
        senior = Person("m2", "mentor", "attending", ("cardiology",), capacity=1)
        solution = _solve([first, second], [junior, senior], Matching(), 3, False)
        assert {(p.mentee, p.mentor) for p in solution.pairs} == {("e1", "m1"), ("e2", "m2")}

    def test_rejects_a_specialty_the_vocabulary_does_not_know(self):
        """Unknown ids would make explanations impossible: a clear error, not a silent zero."""
        with pytest.raises(ValueError, match="unknown specialty id"):
            _solve([Person("e1", "mentee", "student", ("astrology",))],
                   [Person("m1", "mentor", "attending", (), capacity=1)], Matching(), 3, False)


def _concentrated_cohort() -> tuple[list[Person], list[Person]]:
    """Ten cardiology students; two attendings who fit best offer 5 seats, six others 1 seat."""
    mentees = [Person(f"e{i:02d}", "mentee", "student", ("cardiology", "internal_medicine"))
               for i in range(10)]
    eager = [Person(f"m{i}", "mentor", "attending", ("cardiology", "internal_medicine"), capacity=5)
             for i in range(2)]
    others = [Person(f"m{i}", "mentor", "attending", ("cardiology",), capacity=1) for i in range(2, 8)]
    return mentees, eager + others


class TestFairness:
    def test_a_third_mentee_costs_five_times_a_first_so_an_idle_mentor_wins(self):
        """Convex penalty: the busy mentor fits 3 points better, but their third mentee costs 5 points
        (1 + 3 + 5 = 3^2) against 1 for an idle mentor's first, so the idle mentor gets the mentee."""
        mentee = Person("e1", "mentee", "student", ("cardiology",))
        busy = Person("m1", "mentor", "attending", ("cardiology",), capacity=5, load=2)
        idle = Person("m2", "mentor", "attending", ("pediatrics",), capacity=5)
        (pair,) = _solve([mentee], [busy, idle], Matching(load_penalty=1.0), 5, False).pairs
        assert pair.mentor == "m2"
        (pair,) = _solve([mentee], [busy, idle], Matching(load_penalty=0.0), 5, False).pairs
        assert pair.mentor == "m1"

    def test_load_penalty_spreads_mentees_away_from_the_few_with_many_seats(self):
        """Without the penalty the two eager mentors take everyone; with it, max load and Gini drop."""
        mentees, mentors = _concentrated_cohort()
        spread = _solve(mentees, mentors, Matching(load_penalty=1.0), 5, False)
        piled = _solve(mentees, mentors, Matching(load_penalty=0.0), 5, False)
        assert len(spread.pairs) == len(piled.pairs) == 10
        with_penalty = load_summary(list(spread.loads.values()))
        without = load_summary(list(piled.loads.values()))
        assert without.max == 5 and with_penalty.max < without.max
        assert with_penalty.gini < without.gini


def test_refuses_negative_weights_or_penalty_the_exact_class_graph_cannot_take():
    """A negative weight or penalty would make the grouped graph inexact: refused, loudly."""
    mentee = Person("e1", "mentee", "student", ("cardiology",))
    mentor = Person("m1", "mentor", "attending", ("cardiology",), capacity=1)
    for matching in (Matching(load_penalty=-1.0), Matching(weights=MatchingWeights(adjacent_specialty=-1.0))):
        with pytest.raises(ValueError, match="must not be negative"):
            _solve([mentee], [mentor], matching, 3, False)
