"""The benchmarks of `make bench`: the decision engine in process, and the decision API over HTTP.

Run as `python -m bench` (or `python -m bench --quick` for a seconds-long smoke run). One run
measures, side by side and each against its yardstick:

(a) `Policy.decide_service` against a bare dict lookup and against pycasbin (`inprocess`);
(b) `POST /api/v1/decisions` with 10,000 mixed requests per call, end to end (`batch`);
(c) single-decision requests against the decision endpoint and the bare endpoint (`single`).
"""
