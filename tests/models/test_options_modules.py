"""models/options.py split by kind (api_option, seat_option, self_hosted, hardware, custom_gpu, running_costs,
throughput; engines and option_fields shared): every name it had still imports from it, and costcalc.models
re-exports the same objects, so code written against either keeps working."""

from __future__ import annotations

import importlib

import costcalc.models as models
from costcalc.models import options

MOVED = {  # name -> the module that now defines it
    "ApiOption": "api_option",
    "ApiPrices": "api_option",
    "SubscriptionOption": "seat_option",
    "SelfHostedOption": "self_hosted",
    "Hardware": "hardware",
    "Lease": "hardware",
    "OWNED_ONLY": "hardware",
    "BUY_ONLY": "hardware",
    "RENT_ONLY": "hardware",
    "CustomGpu": "custom_gpu",
    "Power": "running_costs",
    "Hosting": "running_costs",
    "Operations": "running_costs",
    "Throughput": "throughput",
    "ThroughputPoint": "throughput",
    "ENGINE_RELEASES": "engines",
    "engine_key": "engines",
    "check_release": "engines",
    "Name": "option_fields",
    "MAX_PRICE_CHANGE_PER_YEAR": "option_fields",
    "OneOffCost": "option_fields",
    "OneOffs": "option_fields",
    "price_change_field": "option_fields",
}


def test_every_name_of_the_options_module_imports_from_it_as_the_object_its_module_defines() -> None:
    assert set(options.__all__) == {*MOVED, "Option"}
    for name, module in MOVED.items():
        assert getattr(options, name) is getattr(importlib.import_module(f"costcalc.models.{module}"), name), name


def test_the_package_re_exports_the_same_models() -> None:
    for name in models.__all__:
        if hasattr(options, name):
            assert getattr(models, name) is getattr(options, name), name
