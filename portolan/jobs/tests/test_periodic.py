import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, connections

from portolan.jobs import periodic
from portolan.jobs.models import PeriodicRun, RunStatus
from portolan.jobs.periodic import Period, PeriodicJob, claim, period_key, run_due, run_job
from portolan.testing.factories import PeriodicRunFactory

NOW = datetime(2026, 12, 3, 14, 30, tzinfo=UTC)


@pytest.fixture
def calls():
    return []


@pytest.fixture
def job(calls):
    return PeriodicJob(name="tests.daily", period=Period.DAILY, function=lambda: calls.append(1))


@pytest.fixture
def registered(job, monkeypatch):
    monkeypatch.setattr(periodic, "_REGISTRY", {job.name: job})
    return job


def test_period_keys_name_the_day_the_iso_week_and_the_month():
    assert period_key(Period.DAILY, NOW) == "2026-12-03"
    assert period_key(Period.WEEKLY, NOW) == "2026-W49"
    assert period_key(Period.MONTHLY, NOW) == "2026-12"
    # 1 January 2027 is in the last ISO week of 2026.
    assert period_key(Period.WEEKLY, datetime(2027, 1, 1, tzinfo=UTC)) == "2026-W53"


@pytest.mark.django_db
def test_a_job_runs_once_per_period_whichever_worker_looks(registered, calls):
    assert run_due(worker_id="a", now=NOW) == ["tests.daily"]
    assert run_due(worker_id="b", now=NOW) == []
    assert run_due(worker_id="a", now=NOW + timedelta(hours=5)) == []
    assert calls == [1]
    run = PeriodicRun.objects.get()
    assert (run.period_key, run.status, run.worker_id) == ("2026-12-03", RunStatus.DONE, "a")
    # The next day is a new period.
    assert run_due(worker_id="b", now=NOW + timedelta(days=1)) == ["tests.daily"]
    assert calls == [1, 1]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_claimers_get_one_claim(job):
    barrier = threading.Barrier(2)
    results = {}

    def claimer(name):
        barrier.wait()
        try:
            results[name] = claim(job=job, key="2026-12-03", worker_id=name, now=NOW)
        except Exception as exc:  # a locked SQLite database is a lost race, never two claims
            results[name] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claimer, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert [value for value in results.values() if value is True] == [True]
    assert PeriodicRun.objects.count() == 1
    if connection.vendor == "postgresql":
        assert sorted(results.values()) == [False, True]


@pytest.mark.django_db
def test_a_run_whose_worker_died_is_claimed_again_after_its_lease(job, calls):
    assert claim(job=job, key="2026-12-03", worker_id="dead", now=NOW)
    # The worker died without finishing: while the lease lasts nobody else runs it.
    assert not run_job(job=job, worker_id="b", now=NOW + timedelta(minutes=5))
    later = NOW + job.lease + timedelta(seconds=1)
    assert run_job(job=job, worker_id="b", now=later)
    assert not claim(job=job, key="2026-12-03", worker_id="c", now=later + job.lease * 2)
    run = PeriodicRun.objects.get()
    assert (run.status, run.worker_id, run.attempts) == (RunStatus.DONE, "b", 2)
    assert calls == [1]


@pytest.mark.django_db
def test_an_expired_lease_is_taken_over_by_one_claimer_only(job):
    PeriodicRunFactory(job=job.name, period_key="2026-12-03", lease_expires_at=NOW)
    later = NOW + timedelta(seconds=1)
    assert claim(job=job, key="2026-12-03", worker_id="b", now=later)
    assert not claim(job=job, key="2026-12-03", worker_id="c", now=later)


@pytest.mark.django_db
def test_a_failed_job_is_retried_after_a_backoff_and_shows_its_error(monkeypatch):
    outcomes = [RuntimeError("mail server down"), None]

    def flaky():
        outcome = outcomes.pop(0)
        if outcome:
            raise outcome

    job = PeriodicJob(name="tests.flaky", period=Period.WEEKLY, function=flaky)
    assert run_job(job=job, worker_id="a")
    run = PeriodicRun.objects.get()
    assert run.status == RunStatus.FAILED
    assert "mail server down" in run.last_error
    assert not run_job(job=job, worker_id="a")  # not before its backoff
    PeriodicRun.objects.update(lease_expires_at=run.lease_expires_at - timedelta(hours=1))
    assert run_job(job=job, worker_id="a")
    assert PeriodicRun.objects.get().status == RunStatus.DONE


def test_a_job_name_is_declared_once(monkeypatch):
    monkeypatch.setattr(periodic, "_REGISTRY", {})
    periodic.periodic(name="tests.once", period=Period.MONTHLY)(lambda: None)
    with pytest.raises(ValueError):
        periodic.periodic(name="tests.once", period=Period.MONTHLY)(lambda: None)


@pytest.mark.django_db
def test_run_periodic_command_runs_the_due_jobs(registered, calls):
    from django.core.management import call_command

    call_command("run_periodic")
    call_command("run_periodic")
    assert calls == [1]


@pytest.mark.django_db
def test_the_declared_jobs_are_found_in_the_apps_jobs_modules():
    from portolan.jobs import discovery

    discovery.load_jobs()
    assert "jobs.prune_task_results" in {job.name for job in periodic.registered()}
    assert "notifications.sweep_outbox" in periodic._TICKS
