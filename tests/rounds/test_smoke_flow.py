"""One round through every step with the services (a quick check that the pieces fit)."""

from evaluation.rounds import selectors
from evaluation.rounds.models import RoundState
from tests.rounds import factories as f


def test_round_to_final_decisions(world):
    rnd = f.round_in(world, RoundState.FINALISED, n=3)
    assert rnd.state == RoundState.FINALISED
    decisions = list(selectors.final_passed_decisions(rnd))
    assert len(decisions) == 3
    assert decisions[0].approval_number == "安工大职评〔2025〕1号"
