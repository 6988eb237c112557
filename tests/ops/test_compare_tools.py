"""The load tools' pieces that need no stack: the ports they open on a shared machine
(PORT_RANGE) and the before/after table `make loadtest-compare` prints. The comparison itself
starts two stacks (minutes): it runs by hand, not in the suite (docs/performance.md)."""

import socket
from types import SimpleNamespace

import pytest

from ops import compare, processes


@pytest.fixture
def port_range(monkeypatch):
    monkeypatch.setattr(processes, "_handed_out", set())
    with socket.socket() as busy:  # someone else's server, at the range's first port
        busy.bind(("127.0.0.1", 0))
        first = busy.getsockname()[1]
        monkeypatch.setenv("PORT_RANGE", f"{first}-{first + 3}")
        yield first


def test_ports_come_from_the_range_never_a_busy_or_given_one(port_range):
    ports = []
    with pytest.raises(RuntimeError, match="no free port left in PORT_RANGE"):
        for _ in range(4):
            ports.append(processes.free_port())
    assert ports, "the range had free ports"
    assert all(port_range < port <= port_range + 3 for port in ports)
    assert len(set(ports)) == len(ports)


def stats(rps, p50, p95, p99):
    return [
        {"name": "sign in", "requests": 8, "failures": 0, "rps": 0.1,
         "p50": "900", "p95": "900", "p99": "900"},
        {"name": "module page", "requests": int(rps * 60), "failures": 0, "rps": rps,
         "p50": str(p50), "p95": str(p95), "p99": str(p99)},
    ]


def test_table_gives_each_codes_median_and_the_ratios():
    runs = {
        "before": [compare.figures(stats(20, 300, 600, 900)),
                   compare.figures(stats(10, 600, 1200, 1800)),  # a noisy round: the median
                   compare.figures(stats(22, 290, 560, 880))],
        "after": [compare.figures(stats(30, 200, 400, 600)),
                  compare.figures(stats(33, 190, 380, 580)),
                  compare.figures(stats(29, 210, 410, 620))],
    }
    printed = compare.table(runs, SimpleNamespace(rounds=3))
    assert "median before" in printed and "median after" in printed
    ratio_line = next(line for line in printed.splitlines() if line.startswith("after/before"))
    assert ratio_line.split()[1:] == ["1.50", "0.67", "0.67", "0.67"]
    assert "throughput x1.50; p99 falls by x1.50" in printed
