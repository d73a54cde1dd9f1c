"""Experiment assignment is one function in Python and in the page's JS: the same shared vectors,
the same answer in another process, and the configured split over many members."""

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from community.selectors.insights.experiments import bucket, fnv32a, variant_for
from tests.processes import service_env

ROOT = Path(__file__).resolve().parents[2]
VECTORS = json.loads((Path(__file__).parent / "assignment_vectors.json").read_text())
ASSIGN_JS = ROOT / "frontend" / "static" / "tuanju" / "assign.js"


@pytest.mark.parametrize(("text", "expected"), VECTORS["fnv32a"])
def test_fnv1a_matches_the_reference_values(text, expected):
    assert fnv32a(text) == expected


@pytest.mark.parametrize(("seed", "actor", "expected"), VECTORS["growthbook_hash_v2"])
def test_buckets_match_growthbooks_published_v2_hashes(seed, actor, expected):
    assert bucket(seed, actor) == expected


def test_python_reproduces_every_shared_assignment_vector():
    got = [
        (bucket(c["key"], c["actor"]), variant_for(c["key"], c["actor"], c["variants"]))
        for c in VECTORS["assignments"]
    ]

    assert got == [(c["bucket"], c["variant"]) for c in VECTORS["assignments"]]


NODE_CHECK = """
const assign = require(process.argv[1]);
const vectors = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
const wrong = [];
for (const [text, expected] of vectors.fnv32a)
  if (assign.fnv32a(text) !== expected) wrong.push(["fnv32a", text]);
for (const [seed, actor, expected] of vectors.growthbook_hash_v2)
  if (assign.bucket(seed, actor) !== expected) wrong.push(["hash", seed, actor]);
for (const c of vectors.assignments) {
  if (assign.bucket(c.key, c.actor) !== c.bucket || assign.variantFor(c.key, c.actor, c.variants) !== c.variant)
    wrong.push(["assignment", c.key, c.actor]);
}
console.log(JSON.stringify({checked: vectors.assignments.length, wrong}));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_pages_js_reproduces_every_shared_vector_in_node():
    # The browser test (tests/e2e/test_experiments_pages.py) runs the same check in Chromium.
    result = subprocess.run(
        [
            "node",
            "-e",
            NODE_CHECK,
            str(ASSIGN_JS),
            str(Path(__file__).parent / "assignment_vectors.json"),
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )

    assert json.loads(result.stdout) == {"checked": len(VECTORS["assignments"]), "wrong": []}


def test_another_process_assigns_every_member_the_same_variant():
    variants = [{"name": "control", "weight": 1}, {"name": "hint", "weight": 1}]
    actors = [f"u:{n}" for n in range(1, 501)]
    script = (
        "import json, os, sys\n"
        "import django\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n"
        "django.setup()\n"
        "from community.selectors.insights.experiments import variant_for\n"
        "variants, actors = json.loads(sys.stdin.read())\n"
        "print(json.dumps([variant_for('checkout_coupon_hint', a, variants) for a in actors]))\n"
    )
    # PYTHONHASHSEED differs per process: a hash() based assignment would fail here.
    child = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps([variants, actors]),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=service_env(PYTHONHASHSEED="12345"),
        timeout=60,
        check=True,
    )

    here = [variant_for("checkout_coupon_hint", a, variants) for a in actors]
    assert json.loads(child.stdout) == here


@pytest.mark.parametrize(
    "weights",
    [
        {"control": 50, "hint": 50},
        {"a": 0.2, "b": 0.3, "c": 0.5},
        {"control": 90, "treatment": 10},
    ],
)
def test_ten_thousand_members_split_within_two_points_of_the_weights(weights):
    variants = [{"name": name, "weight": w} for name, w in weights.items()]
    counts = Counter(variant_for("split_check", f"u:{n}", variants) for n in range(1, 10_001))

    total = sum(weights.values())
    shares = {name: counts[name] / 10_000 for name in weights}
    assert all(abs(shares[name] - weights[name] / total) <= 0.02 for name in weights), shares


def test_different_experiments_split_the_same_members_independently():
    variants = [{"name": "a", "weight": 1}, {"name": "b", "weight": 1}]
    first = [variant_for("exp_one", f"u:{n}", variants) for n in range(1, 2001)]
    second = [variant_for("exp_two", f"u:{n}", variants) for n in range(1, 2001)]

    agreement = sum(x == y for x, y in zip(first, second, strict=True)) / 2000
    assert 0.45 <= agreement <= 0.55  # not the same split relabelled
