// Experiment assignment, the same function as community/selectors/insights/experiments.py:
// GrowthBook v2 hashing (FNV-1a 32-bit, fnv32a(String(fnv32a(seed + id))) % 10000 / 10000, seed =
// the experiment key) against the cumulative weights. tests/community/assignment_vectors.json pins
// both to the same answers. Pages use it to preview buckets; the server's answer (which also
// records the exposure) is what a page shows a member.
(function (root) {
  "use strict";

  function fnv32a(text) {
    let value = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
      value ^= text.charCodeAt(i); // UTF-16 code units, as the Python side hashes them
      value = Math.imul(value, 0x01000193) >>> 0;
    }
    return value >>> 0;
  }

  function bucket(seed, actor) {
    return (fnv32a(String(fnv32a(seed + actor))) % 10000) / 10000;
  }

  function variantFor(seed, actor, variants) {
    const total = variants.reduce((sum, v) => sum + Number(v.weight), 0);
    const point = bucket(seed, actor);
    let cumulative = 0;
    for (const variant of variants) {
      cumulative += Number(variant.weight) / total;
      if (point < cumulative) return String(variant.name);
    }
    return String(variants[variants.length - 1].name);
  }

  const api = { fnv32a, bucket, variantFor };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.tuanjuAssign = api;
})(typeof window !== "undefined" ? window : globalThis);
