"""Stateful fakes of the three vendor APIs; see ``core.py`` for what they share.

``SIMULATORS[vendor]()`` builds one (vendor modules are imported on first use).
"""

import importlib

_CLASSES = {
    "finbourne": ("tests.simulators.finbourne", "FinbourneSimulator"),
    "sailpoint": ("tests.simulators.sailpoint", "SailPointSimulator"),
    "beyond_identity": ("tests.simulators.beyond_identity", "BeyondIdentitySimulator"),
}


def _factory(vendor):
    def build(**kwargs):
        module_name, class_name = _CLASSES[vendor]
        return getattr(importlib.import_module(module_name), class_name)(**kwargs)

    return build


SIMULATORS = {vendor: _factory(vendor) for vendor in _CLASSES}


def settings_text(sims):
    """What ``python -m tests.simulators --env-file`` writes: one ``NAME=value`` line per connection setting."""
    return "".join("%s=%s\n" % item for sim in sims for item in sim.connection_env().items())
