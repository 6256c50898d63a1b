"""Distinct random SSIDs for a registry of millions, drawn in a few bytes each.

`random.sample(range(10**10), k)` keeps a set of the k values drawn and returns a list of
k int objects: about 90 bytes a value, close to 1 GB for a 10-million-student registry.
`sample_range` draws the very same values in the same order from the same generator (so
a seed gives the same files as before), keeping them in an `array` of 8-byte integers and
telling repeats apart with an open-addressing table of 8-byte slots: about 22 bytes a value.
"""

from __future__ import annotations

import random
from array import array

#: Slots per value at most 0.7 full: probes stay short.
_LOAD = 0.7
_EMPTY = 0  # slots hold value + 1, so 0 marks an empty slot
_MIX = 0x9E3779B97F4A7C15  # Fibonacci hashing: spreads consecutive values over the table


def sample_range(rng: random.Random, n: int, k: int) -> array[int]:
    """The values `rng.sample(range(n), k)` returns, in its order, leaving `rng` in the same state.

    It draws as `random.sample` does when the range is much larger than the sample (as SSIDs
    out of 10**10 are): `randrange(n)` again whenever a value repeats. For n over 12k + 21
    `random.sample` always takes that branch.
    """
    if k < 0 or 12 * k + 21 >= n:
        raise ValueError("sample_range is for a few values out of a large range")
    bits = max(4, (int(k / _LOAD) + 1).bit_length())
    size = 1 << bits
    mask, shift = size - 1, 64 - bits
    slots = array("Q", bytes(8 * size))
    out = array("Q", bytes(8 * k))
    randrange = rng.randrange
    for i in range(k):
        while True:
            value = randrange(n)
            key = value + 1
            slot = ((key * _MIX) & 0xFFFFFFFFFFFFFFFF) >> shift
            while slots[slot] != _EMPTY and slots[slot] != key:
                slot = (slot + 1) & mask
            if slots[slot] == _EMPTY:
                slots[slot] = key
                break
        out[i] = value
    return out
