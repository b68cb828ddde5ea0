"""Benchmarks: native synth against CDKTF and against the import floor (issue 6).

Run `python bench/run.py [--quick|--smoke] [--out DIR]`; see bench/run.py.
"""
