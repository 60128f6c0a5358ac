"""Pieces of legacy_compat.trainer on the default suite's TensorFlow.

The data-ran-out hook only changes what happens on TF 1.6-1.8, whose train_and_evaluate
restarted training after each pass (a matrix cell outside CI's three): its decision is
tested here, on a real graph and session, where every run sees it.
"""

import pytest

tf = pytest.importorskip("tensorflow")

from legacy_compat import trainer  # noqa: E402

tf1 = tf.compat.v1


def pass_ending_at(step, target, throttle_secs):
    """One training pass of the hook ending at global step ``step``; the hook, after it."""
    hook = trainer.data_end_watch(tf1, target, throttle_secs)
    graph = tf1.Graph()
    with graph.as_default():
        global_step = tf1.train.get_or_create_global_step()
        hook.begin()
        with tf1.Session(graph=graph) as session:
            session.run(tf1.global_variables_initializer())
            session.run(global_step.assign(step))
            hook.end(session)
    return hook


def next_pass_starts(hook):
    with tf1.Graph().as_default():
        tf1.train.get_or_create_global_step()
        try:
            hook.begin()
        except trainer.DataRanOut:
            return False
    return True


@pytest.mark.parametrize("step, target, throttle_secs, restarts", [
    # The input ended at step 40 of 100, long before throttle_secs: it ran out of data.
    (40, 100, 600, False),
    (99, 100, 600, False),
    # The pass reached the target: train_and_evaluate ends by itself.
    (100, 100, 600, True),
    (120, 100, 600, True),
    # The pass ended because throttle_secs had passed: the next one trains on.
    (40, 100, 0, True),
    (40, 100, None, True),
    # No step target: training ends with the input, there is no next pass to stop.
    (40, None, 600, True),
])
def test_the_next_pass_starts_only_when_the_input_did_not_run_out(step, target, throttle_secs,
                                                                  restarts):
    assert next_pass_starts(pass_ending_at(step, target, throttle_secs)) is restarts
