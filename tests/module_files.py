"""The collection's modules by kind: a vendor's modules (``<vendor>_<resource>``, built on ``vendor_module`` with that
vendor's connection options) and the action modules that run on the controller and call the vendors' modules."""

from pathlib import Path

MODULES_DIR = Path(__file__).resolve().parents[1] / "plugins" / "modules"
VENDORS = ("finbourne", "sailpoint", "beyond_identity")
CONTROLLER_MODULES = ("tenant_export",)  # plugins/action/<name>.py; the module file holds its documentation


def vendor_of(name):
    """The vendor of module ``name``, or None for a controller module."""
    return next((v for v in VENDORS if name.startswith(v + "_")), None)


ALL_MODULES = sorted(p.stem for p in MODULES_DIR.glob("*.py") if p.stem != "__init__")
VENDOR_MODULES = [name for name in ALL_MODULES if vendor_of(name)]
