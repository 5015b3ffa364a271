"""clean and clean_batch release the GIL while they clean.

A Python thread ticks (appends a timestamp) in a loop while the main thread is inside one call.
A call that held the GIL would stop it dead for the call's whole length: Python code runs only
with the GIL, and Rust code that holds it never yields it. So ticks in the middle of the call
prove the GIL was released. The call is made long (doubling the work until it takes at least
0.4 s) and only the middle 60% of it is looked at, so the few milliseconds the main thread
holds the GIL to convert arguments and results never count.
"""

from __future__ import annotations

import random
import threading
import time
from typing import Callable

import thresh
from conftest import SEEDS


def ticks_during(call: Callable[[], object]) -> tuple[int, float]:
    """Runs `call` while another thread ticks; returns the ticks in the middle 60% of the
    call, and how long the call took."""
    ticks: list[float] = []
    stop = threading.Event()

    def tick() -> None:
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.0005)

    t = threading.Thread(target=tick)
    t.start()
    try:
        time.sleep(0.05)  # the ticker is running
        start = time.perf_counter()
        call()
        end = time.perf_counter()
    finally:
        stop.set()
        t.join()
    span = end - start
    lo, hi = start + 0.2 * span, end - 0.2 * span
    return sum(lo <= x <= hi for x in ticks), span


def long_enough(make: Callable[[int], Callable[[], object]]) -> Callable[[], object]:
    """The call `make(n)` for the smallest n (doubling) that takes at least 0.4 s."""
    n = 1
    while True:
        call = make(n)
        start = time.perf_counter()
        call()
        if time.perf_counter() - start >= 0.4:
            return call
        n *= 2


def seed_texts() -> list[str]:
    return [p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def test_clean_batch_lets_other_threads_run() -> None:
    cleaner = thresh.Cleaner(threads=1)  # one worker: the other core is free for the ticker
    texts = seed_texts()
    call = long_enough(lambda n: lambda: cleaner.clean_batch(texts * n))
    ticks, span = ticks_during(call)
    assert span >= 0.3
    assert ticks >= 10, f"{ticks} ticks in the middle of a {span:.2f} s clean_batch: the GIL was held"


def test_clean_lets_other_threads_run() -> None:
    cleaner = thresh.Cleaner()
    text = "\n\n".join(seed_texts())
    call = long_enough(lambda n: lambda: cleaner.clean(text * n))
    ticks, span = ticks_during(call)
    assert span >= 0.3
    assert ticks >= 10, f"{ticks} ticks in the middle of a {span:.2f} s clean: the GIL was held"


def test_the_check_sees_a_held_gil() -> None:
    """The same measure, around one long call that holds the GIL (sorting a list of ints runs
    in C and never releases it), finds no tick: so the tests above can fail."""

    def make(n: int) -> Callable[[], object]:
        big = list(range(n * 200_000))
        random.Random(n).shuffle(big)
        return lambda: sorted(big)

    ticks, span = ticks_during(long_enough(make))
    assert span >= 0.3
    assert ticks == 0
