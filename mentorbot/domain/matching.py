"""The matching solver: pair a whole cohort of mentees with mentors in one exact optimisation.

Pure (no I/O, no clock, no logging). The rules of a single pair (who may be paired, the score and its
explanation) live in :mod:`mentorbot.domain.matchscore`; this module chooses the pairs.

The objective, in this order:

1. as many mentees matched as possible;
2. then the highest total score minus a *convex* load penalty on every mentor: the k-th mentee a
   mentor carries (existing ones counted) costs ``load_penalty x (2k - 1)`` points, so carrying n
   mentees costs ``load_penalty x n^2``. A second mentee on a busy mentor costs more than a first on
   an idle one, which spreads mentees across willing mentors instead of piling them on the few who
   said yes first (the "minority tax").

A mentor's seats this round are ``min(capacity, max_load) - load`` (never negative).

It is solved as a min-cost max-flow (OR-Tools ``SimpleMinCostFlow.solve_max_flow_with_min_cost``:
maximum flow first, then minimum cost among maximum flows, which is exactly the order above), in
integer thousandths of a point (:data:`~mentorbot.domain.matchscore.MILLI`).

Why classes: 10,000 mentees x 2,000 mentors would be 20 million arcs. Two people with the same
stage, specialties (and, for mentees, stated preferences) and no exclusion score the same with
everyone, so the graph is built over *classes* of such people::

    source -> mentee class (capacity: its size)
           -> hub (its specialties x a mentor stage; cost: minus the seniority part)
           -> mentor class of that stage (cost: minus the specialty part, arcs only where it is
              positive; a per-stage "plain" node stands for every pair whose specialty part is 0)
           -> sink (one arc per distinct marginal load penalty, capacity: how many seats of the
              class have it)

Because each mentor's penalty is convex, the cheapest way to put k mentees on a class of mentors is
to take the k cheapest marginal seats across its mentors (a greedy choice that is optimal for sums
of convex functions), which is what the class's sink arcs price. Any class flow therefore splits
into individual pairs of exactly the same objective and vice versa: the optimum equals the one of
the dense person-to-person graph (tests check it against the dense graph and brute force; why the
hubs and the plain node are exact is in :func:`_solve_flow`). Anyone in an exclusion (declined,
ended, blocked) gets a class of their own, and excluded pairs get no arc.

Determinism: inputs are sorted by id, classes numbered in a fixed order, and ties inside a class
broken by id, so the same cohort always gives the same pairs.
"""
from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

from .campaign import Matching
from .matchscore import (Pair, Person, milli, preference_points, score_pair, seniority_points,
                         stage_allowed)
from .vocabulary import Vocabulary

__all__ = ["Person", "Solution", "solve", "penalty_milli"]


@dataclass(frozen=True, slots=True)
class Solution:
    """The round's answer: the pairs (with score and explanation), who is left, and every load.

    ``pairs`` and ``unmatched`` are sorted by mentee id; ``loads`` holds each mentor's load after
    the round (existing load plus new mentees), zeros included.
    """

    pairs: tuple[Pair, ...]
    unmatched: tuple[str, ...]
    loads: dict[str, int]


def penalty_milli(k: int, load_penalty: float) -> int:
    """The marginal penalty, in thousandths, of a mentor's k-th mentee (k counts existing ones)."""
    return milli(load_penalty * (2 * k - 1))


def solve(mentees: Sequence[Person], mentors: Sequence[Person], *, vocabulary: Vocabulary,
          matching: Matching, max_load: int, allow_preference: bool) -> Solution:
    """Pair the cohort: most mentees matched, then best total score net of the load penalty."""
    mentees = sorted(mentees, key=lambda p: (p.waiting_since, p.id))  # longest waiting first
    mentors = sorted(mentors, key=lambda p: p.id)
    _check_ids(mentees, "mentee")
    _check_ids(mentors, "mentor")
    weights = matching.weights
    if matching.load_penalty < 0 or min(weights.shared_specialty, weights.adjacent_specialty,
                                        weights.seniority, weights.preference) < 0:
        # The class graph is exact only for a convex penalty and scores that never go below 0
        # (the campaign loader refuses negative values too).
        raise ValueError("matching weights and load_penalty must not be negative")
    known = set(vocabulary.specialty_ids)
    for person in (*mentees, *mentors):
        unknown = sorted(set(person.specialties) - known)
        if unknown:
            raise ValueError(f"{person.role} {person.id}: unknown specialty id(s) {', '.join(unknown)}")

    loads = {m.id: m.load for m in mentors}
    seats = {m.id: max(0, min(m.capacity, max_load) - m.load) for m in mentors}
    # A mentor without a stated stage is never paired (stage_allowed), so they take no part.
    open_mentors = [m for m in mentors if seats[m.id] > 0 and m.stage is not None]
    if not mentees or not open_mentors:
        return Solution(pairs=(), unmatched=tuple(m.id for m in mentees), loads=loads)

    excluded = _exclusions(mentees, open_mentors)
    special = {who for pair in excluded for who in pair}
    e_classes = _classes(mentees, special,
                         lambda p: (p.stage, frozenset(p.specialties),
                                    p.preferred if allow_preference else frozenset()))
    m_classes = _classes(open_mentors, special, lambda p: (p.stage, frozenset(p.specialties)))
    prices = _Prices(e_classes, m_classes, vocabulary, matching, allow_preference)
    flows = _solve_flow(e_classes, m_classes, prices, excluded, seats, loads, matching.load_penalty)

    # Split each class flow into people: longest-waiting mentees first, seats by cheapest marginal
    # penalty.
    incoming: list[list[tuple[Person, int]]] = [[] for _ in m_classes]
    matched: set[str] = set()
    next_in_class = [0] * len(e_classes)
    for (ei, mi), amount in flows:
        start = next_in_class[ei]
        for mentee in e_classes[ei][start:start + amount]:
            incoming[mi].append((mentee, ei))
            matched.add(mentee.id)
        next_in_class[ei] = start + amount
    pairs: list[Pair] = []
    explained: dict[tuple[int, int], Pair] = {}
    for mi, arrivals in enumerate(incoming):
        if not arrivals:
            continue
        for (mentee, ei), mentor in zip(arrivals, _fill_seats(m_classes[mi], len(arrivals), seats,
                                                              loads, matching.load_penalty)):
            template = explained.get((ei, mi))
            if template is None:
                template = score_pair(e_classes[ei][0], m_classes[mi][0], vocabulary=vocabulary,
                                      matching=matching, allow_preference=allow_preference)
                assert template is not None and milli(template.score) == prices.score(ei, mi), \
                    "the solver's price of a pair disagrees with score_pair"
                explained[(ei, mi)] = template
            pairs.append(Pair(mentee=mentee.id, mentor=mentor.id, score=template.score,
                              parts=template.parts))
            loads[mentor.id] += 1
    pairs.sort(key=lambda p: p.mentee)
    unmatched = tuple(m.id for m in mentees if m.id not in matched)
    return Solution(pairs=tuple(pairs), unmatched=unmatched, loads=loads)


# --- building blocks ----------------------------------------------------------------------------

def _check_ids(people: Sequence[Person], role: str) -> None:
    for before, after in zip(people, people[1:]):
        if before.id == after.id:
            raise ValueError(f"{role} id {before.id} appears twice")


def _exclusions(mentees: Sequence[Person], mentors: Sequence[Person]) -> set[tuple[str, str]]:
    """Every (mentee id, mentor id) in the cohort that either side's ``exclude`` forbids."""
    mentee_ids, mentor_ids = {p.id for p in mentees}, {p.id for p in mentors}
    pairs = {(e.id, m) for e in mentees for m in e.exclude if m in mentor_ids}
    pairs |= {(e, m.id) for m in mentors for e in m.exclude if e in mentee_ids}
    return pairs


def _classes(people: Sequence[Person], special: set[str], key) -> list[list[Person]]:
    """People grouped by ``key`` (in order of first appearance); anyone ``special`` alone."""
    groups: dict[object, list[Person]] = {}
    for person in people:
        groups.setdefault(("alone", person.id) if person.id in special else key(person), []).append(person)
    return list(groups.values())


class _Prices:
    """Every class pair's score in thousandths, in two parts that add up to it.

    ``stage[e stage, m stage]`` is the seniority part (0 where the stage rule forbids the pair,
    which ``stage_allowed`` says);
    ``topic[hub, mentor class]`` the specialty and preference parts, where a *hub* is a distinct
    (specialties, preferences) of a mentee class. Each part is priced with the same functions and
    rounding as :func:`score_pair` (whose score is the sum of its parts in thousandths), so
    ``stage + topic`` is exactly ``milli(score_pair(...).score)``; the solver asserts it on every
    pair it returns. Vectorised: 0/1 matrices of specialties multiplied together.
    """

    def __init__(self, e_classes: list[list[Person]], m_classes: list[list[Person]],
                 vocabulary: Vocabulary, matching: Matching, allow_preference: bool) -> None:
        specialty_ids = vocabulary.specialty_ids
        bit = {s: i for i, s in enumerate(specialty_ids)}
        stage_ids = (*vocabulary.stage_ids, None)
        stage_index = {s: i for i, s in enumerate(stage_ids)}
        weights = matching.weights

        self.e_stage = np.array([stage_index[g[0].stage] for g in e_classes], dtype=np.int64)
        self.m_stage = np.array([stage_index[g[0].stage] for g in m_classes], dtype=np.int64)
        allowed = np.array([[m is not None and stage_allowed(e, m, vocabulary=vocabulary,
                                                             min_stage_gap=matching.min_stage_gap)
                             for m in stage_ids] for e in stage_ids], dtype=bool)
        self.stage_allowed = allowed
        self.stage = np.array([[milli(seniority_points(e, m, vocabulary=vocabulary, matching=matching))
                                if allowed[i, j] else 0 for j, m in enumerate(stage_ids)]
                               for i, e in enumerate(stage_ids)], dtype=np.int64)

        hub_of: dict[tuple[frozenset[str], frozenset[str]], int] = {}
        self.hub = np.array([hub_of.setdefault((frozenset(g[0].specialties),
                                                g[0].preferred if allow_preference else frozenset()),
                                               len(hub_of)) for g in e_classes], dtype=np.int64)
        hubs = list(hub_of)

        def rows(sets) -> np.ndarray:
            table = np.zeros((len(sets), len(specialty_ids)), dtype=np.int32)
            for row, items in enumerate(sets):
                for item in items:
                    if item in bit:
                        table[row, bit[item]] = 1
            return table

        mine = rows([h[0] for h in hubs])
        theirs = rows([g[0].specialties for g in m_classes])
        adjacency = np.array([[vocabulary.adjacent(a, b) for b in specialty_ids] for a in specialty_ids],
                             dtype=np.int32).reshape(len(specialty_ids), len(specialty_ids))
        shared = np.minimum(mine @ theirs.T, 2)
        near_theirs = (adjacency @ theirs.T > 0).astype(np.int32)  # [specialty, mentor class]
        near = mine @ (near_theirs * (1 - theirs.T)) > 0
        shared_points = np.array([milli(weights.shared_specialty * n) if n and weights.shared_specialty
                                  else 0 for n in range(3)], dtype=np.int64)
        topic = shared_points[shared] + np.where(near, milli(weights.adjacent_specialty)
                                                 if weights.adjacent_specialty else 0, 0)
        if allow_preference:
            stated = np.array([len(h[1]) for h in hubs], dtype=np.int64)
            wants_stage = np.array([[s in h[1] for s in stage_ids] for h in hubs], dtype=np.int64)
            met = rows([h[1] for h in hubs]) @ theirs.T + wants_stage[:, self.m_stage]
            top = int(stated.max(initial=0)) + 1
            pref = np.array([[milli(points) if m and (points := preference_points(weights.preference, m, n))
                              else 0 for n in range(top)] for m in range(top)], dtype=np.int64)
            topic = topic + pref[met, stated[:, None]]
        self.topic = topic

    def allowed(self) -> np.ndarray:
        """[mentee class, mentor class]: does the stage rule allow the pair?"""
        return self.stage_allowed[self.e_stage[:, None], self.m_stage[None, :]]

    def score(self, ei: int, mi: int) -> int:
        """The score of mentee class ``ei`` with mentor class ``mi``, in thousandths."""
        return int(self.stage[self.e_stage[ei], self.m_stage[mi]] + self.topic[self.hub[ei], mi])


def _marginals(group: Sequence[Person], seats: dict[str, int], loads: dict[str, int],
               load_penalty: float) -> list[int]:
    """The marginal penalty of every free seat of a class, cheapest first."""
    return sorted(penalty_milli(k, load_penalty)
                  for m in group for k in range(loads[m.id] + 1, loads[m.id] + seats[m.id] + 1))


def _solve_flow(e_classes, m_classes, prices: _Prices, excluded, seats, loads, load_penalty):
    """Max flow at min cost over the class graph; the flows as ((mentee class, mentor class), n).

    Nodes: source, sink, mentee classes, mentor classes, *hubs* (a mentee class's specialties and
    preferences x a mentor stage the stage rule allows) and one *plain* node per mentor stage.

    - mentee class -> hub: minus the seniority part of the score;
    - hub -> mentor class of that stage: minus the specialty/preference part, only where it is
      positive;
    - hub -> plain node of its stage -> every mentor class of that stage: cost 0. This stands for
      all the pairs whose specialty part is 0 without an arc each (most pairs share nothing).
      It is exact: a unit that goes hub -> plain -> mentor where a positive arc exists could move
      to that arc (its capacity is the mentor class's seats) and cost less, so an optimal flow
      never needs it; and when the flow is split into pairs, a pair can only score *more* than
      its path's cost, never less, so the pairs are at least as good as the optimum, i.e. optimal.
    - mentor class -> sink: the class's marginal load penalties (see the module docstring).

    Mentees in an exclusion (singleton classes) skip the hubs: direct arcs to every mentor class
    the stage rule allows, minus the excluded ones. So 20 million person pairs become about
    (mentee classes x stages) + (hub x mentor class pairs that share something) arcs.
    """
    n_e, n_m = len(e_classes), len(m_classes)
    source, sink = 0, 1
    e_node = 2 + np.arange(n_e, dtype=np.int64)
    m_node = 2 + n_e + np.arange(n_m, dtype=np.int64)
    e_size = np.array([len(g) for g in e_classes], dtype=np.int64)
    m_seats = np.array([sum(seats[m.id] for m in g) for g in m_classes], dtype=np.int64)
    total = int(e_size.sum())
    excluded_mentees = {e for e, _ in excluded}
    lone = np.array([g[0].id in excluded_mentees for g in e_classes], dtype=bool)
    n_stages = prices.stage.shape[1]
    stage_of = prices.m_stage
    by_stage = [np.nonzero(stage_of == stage)[0] for stage in range(n_stages)]

    # Hubs: one node per (specialties and preferences, mentor stage) some non-lone class can use.
    usable = (prices.stage_allowed[prices.e_stage][:, :] & ~lone[:, None]
              & np.array([len(members) > 0 for members in by_stage])[None, :])
    e_idx, stage_idx = np.nonzero(usable)
    hub_keys, hub_index = np.unique(prices.hub[e_idx] * n_stages + stage_idx, return_inverse=True)
    first_hub = 2 + n_e + n_m
    hub_node = first_hub + hub_index
    hub_stage, hub_topic = hub_keys % n_stages, hub_keys // n_stages
    plain_node = first_hub + len(hub_keys) + np.arange(n_stages, dtype=np.int64)

    sizes = np.array([len(by_stage[stage]) for stage in hub_stage.tolist()], dtype=np.int64)
    h_tail = first_hub + np.repeat(np.arange(len(hub_keys)), sizes)
    h_topic = np.repeat(hub_topic, sizes)
    h_m = (np.concatenate([by_stage[stage] for stage in hub_stage.tolist()]) if len(hub_keys)
           else np.zeros(0, dtype=np.int64))
    positive = prices.topic[h_topic, h_m] > 0
    h_tail, h_topic, h_m = h_tail[positive], h_topic[positive], h_m[positive]
    p_stage = np.array([stage for stage in range(n_stages) if len(by_stage[stage])], dtype=np.int64)
    p_m = np.concatenate([by_stage[stage] for stage in p_stage.tolist()])
    p_tail = np.repeat(plain_node[p_stage], [len(by_stage[stage]) for stage in p_stage.tolist()])

    d_e, d_m = np.nonzero(prices.allowed() & lone[:, None])
    if len(d_e):
        keep = np.array([(e_classes[a][0].id, m_classes[b][0].id) not in excluded
                         for a, b in zip(d_e.tolist(), d_m.tolist())], dtype=bool)
        d_e, d_m = d_e[keep], d_m[keep]

    zeros = np.zeros
    arcs = [  # (tails, heads, capacities, costs); the decoding below relies on this order
        (np.full(n_e, source), e_node, e_size, zeros(n_e, dtype=np.int64)),
        (e_node[e_idx], hub_node, e_size[e_idx], -prices.stage[prices.e_stage[e_idx], stage_idx]),
        (h_tail, m_node[h_m], m_seats[h_m], -prices.topic[h_topic, h_m]),
        (first_hub + np.arange(len(hub_keys)), plain_node[hub_stage], np.full(len(hub_keys), total),
         zeros(len(hub_keys), dtype=np.int64)),
        (p_tail, m_node[p_m], m_seats[p_m], zeros(len(p_m), dtype=np.int64)),
        (e_node[d_e], m_node[d_m], np.ones(len(d_e), dtype=np.int64),
         -(prices.stage[prices.e_stage[d_e], prices.m_stage[d_m]] + prices.topic[prices.hub[d_e], d_m])),
    ]
    for index, group in enumerate(m_classes):
        values, counts = np.unique(np.array(_marginals(group, seats, loads, load_penalty), dtype=np.int64),
                                   return_counts=True)
        arcs.append((np.full(len(values), m_node[index]), np.full(len(values), sink), counts, values))
    tails, heads, caps, costs = (np.concatenate(column).astype(np.int64) for column in zip(*arcs))

    flow = SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails.astype(np.int32), heads.astype(np.int32), caps, costs)
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    status = flow.solve_max_flow_with_min_cost()
    if status != SimpleMinCostFlow.OPTIMAL:  # pragma: no cover - the graph is always feasible
        raise RuntimeError(f"min-cost flow failed: {status}")
    amounts = flow.flows(np.arange(len(tails), dtype=np.int32))

    # Split the flow into paths, arc group by arc group (the graph is layered): each inner node
    # keeps a queue of (mentee class, units) that arrived, and hands them on in that order.
    queues: dict[int, list[list[int]]] = {}
    result: list[tuple[tuple[int, int], int]] = []
    mentor_class = {int(node): index for index, node in enumerate(m_node.tolist())}
    first = 0
    for group_index, (group_tails, *_rest) in enumerate(arcs[:6]):
        count = len(group_tails)
        for k in (first + np.nonzero(amounts[first:first + count])[0]).tolist():
            tail, head, units = int(tails[k]), int(heads[k]), int(amounts[k])
            if tail in mentor_class or tail == source:
                continue
            if group_index in (1, 5):  # leaving a mentee class
                chunks = [[tail - 2, units]]
            else:
                chunks, waiting = [], queues[tail]
                while units:
                    take = min(units, waiting[0][1])
                    chunks.append([waiting[0][0], take])
                    waiting[0][1] -= take
                    units -= take
                    if not waiting[0][1]:
                        waiting.pop(0)
            if head in mentor_class:
                result.extend(((ei, mentor_class[head]), n) for ei, n in chunks)
            else:
                queues.setdefault(head, []).extend(chunks)
        first += count
    return result


def _fill_seats(group: Sequence[Person], count: int, seats: dict[str, int], loads: dict[str, int],
                load_penalty: float) -> list[Person]:
    """``count`` seats of a mentor class, cheapest marginal penalty first (ties: lower load, id)."""
    taken = {m.id: 0 for m in group}
    heap = [(penalty_milli(loads[m.id] + 1, load_penalty), loads[m.id], m.id, i)
            for i, m in enumerate(group) if seats[m.id] > 0]
    heapq.heapify(heap)
    chosen: list[Person] = []
    while len(chosen) < count:
        _, load, _, i = heapq.heappop(heap)
        mentor = group[i]
        chosen.append(mentor)
        taken[mentor.id] += 1
        if taken[mentor.id] < seats[mentor.id]:
            heapq.heappush(heap, (penalty_milli(load + 2, load_penalty), load + 1, mentor.id, i))
    return chosen
