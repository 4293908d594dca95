"""A worker process loads the PDF renderer when it starts, not during its first report."""

from celery.signals import worker_process_init

from reports import rendering, tasks  # noqa: F401 - the worker imports its tasks before it starts processes


def test_a_worker_process_loads_the_renderer_when_it_starts(monkeypatch):
    loaded = []
    monkeypatch.setattr(rendering, "load_renderer", lambda: loaded.append(True))
    worker_process_init.send(sender=None)
    assert loaded == [True]
