"""Test groups: tests marked ``distributed`` spawn gloo process groups; all others run in one process."""


def pytest_configure(config):
    config.addinivalue_line("markers", "distributed: spawns 2 and 4 gloo ranks on 127.0.0.1 (slower)")
