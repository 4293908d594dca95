"""The auto-scheduler: a CP-SAT model generated from the rule catalogue of `staffing.rules`.

`model.build` turns a roster's `RosterContext` into a model (hard rules as constraints, the labour
limits as constraints too, since the generator writes no warning; coverage, preferences, fairness and
changes as weighted terms); `solve.solve` runs it with hints, a seed, workers, a time limit and a
progress callback. `penalty` prices a roster the way the model's objective does, from the
validator's own findings, so there is one definition of a valid and of a good roster.
"""
