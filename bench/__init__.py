"""Benchmarks: each module exposing ``main()`` is run by ``python -m bench.run`` (``make bench``).

Results go into ``BENCHMARKS.md`` by hand, each area under its own ``##`` heading: the machine
is shared and noisy, so a table is read for medians and same-run ratios, not absolute numbers.
"""
