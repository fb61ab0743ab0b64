#!/usr/bin/env python3
"""Writes malformed (and a few valid) safetensors files and records what the
reference `safetensors` library says about each.

The Swift reader must accept exactly the files the library accepts, so the
verdicts here come from the library itself, not from our reading of the spec.
Each case is a hand-written header (so duplicate keys, `true` as a dimension
and other things json.dumps would never produce are possible) plus a data
section.

Output: Tests/CheckpointsTests/Fixtures/safetensors/<case>.safetensors and
expectations.json there: {case: {"accepts": bool, "library_says": str}}.

Usage (the pinned library lives in the oracle venv):
    .build/oracle-venv/bin/python3 -m pip install --no-deps safetensors==0.7.0
    .build/oracle-venv/bin/python3 tools/checkpoints/make_safetensors_cases.py
"""
import json
import os
import struct

import safetensors
from safetensors import safe_open
import torch  # noqa: F401  (the pt framework needs it)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "CheckpointsTests", "Fixtures", "safetensors")

F32_8 = struct.pack("<2f", 1.5, -2.0)          # 8 bytes: two float32
F32_16 = struct.pack("<4f", 1.0, 2.0, 3.0, 4.0)  # 16 bytes


def t(dtype, shape, begin, end):
    """One tensor entry as JSON text (shape given verbatim so it can be invalid)."""
    return '{"dtype":"%s","shape":%s,"data_offsets":[%s,%s]}' % (dtype, shape, begin, end)


def two(a, b):
    return "{" + '"a":' + a + ',"b":' + b + "}"


# name -> (header text, data bytes, optional explicit header-size field)
CASES = {
    # Valid files: the reader must load these.
    "ok_two_tensors": (two(t("F32", "[2]", 0, 8), t("F32", "[2]", 8, 16)), F32_16, None),
    "ok_empty_header": ("{}", b"", None),
    "ok_scalar": ('{"s":' + t("F32", "[]", 0, 4) + "}", F32_8[:4], None),
    "ok_zero_size_tensor": (two(t("F32", "[0]", 0, 0), t("F32", "[2]", 0, 8)), F32_8, None),
    "ok_padded_header": (two(t("F32", "[2]", 0, 8), t("F32", "[2]", 8, 16)) + "        ", F32_16, None),
    "ok_metadata": ('{"__metadata__":{"format":"pt","k":"v"},"a":' + t("F32", "[2,1]", 0, 8) + "}", F32_8, None),
    "ok_unknown_field_in_entry": ('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"extra":1}}', F32_8, None),
    "ok_out_of_order_entries": (two(t("F32", "[2]", 8, 16), t("F32", "[2]", 0, 8)), F32_16, None),
    # Offsets that do not tile the data section.
    "bad_overlapping_offsets": (two(t("F32", "[2]", 0, 8), t("F32", "[2]", 4, 12)), F32_16[:12], None),
    "bad_aliased_offsets": (two(t("F32", "[2]", 0, 8), t("F32", "[2]", 0, 8)), F32_8, None),
    "bad_gap_between_tensors": (two(t("F32", "[2]", 0, 8), t("F32", "[1]", 12, 16)), F32_16, None),
    "bad_leading_gap": ('{"a":' + t("F32", "[1]", 4, 8) + "}", F32_8, None),
    "bad_trailing_bytes": ('{"a":' + t("F32", "[2]", 0, 8) + "}", F32_16, None),
    "bad_data_shorter_than_offsets": ('{"a":' + t("F32", "[4]", 0, 16) + "}", F32_8, None),
    "bad_reversed_offsets": ('{"a":' + t("F32", "[0]", 8, 0) + "}", F32_8, None),
    "bad_offsets_wrong_for_shape": ('{"a":' + t("F32", "[3]", 0, 8) + "}", F32_8, None),
    "bad_three_offsets": ('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8,8]}}', F32_8, None),
    "bad_float_offset": ('{"a":' + t("F32", "[2]", "0.0", 8) + "}", F32_8, None),
    "bad_negative_offset": ('{"a":' + t("F32", "[2]", -8, 0) + "}", F32_8, None),
    # Keys.
    "bad_duplicate_key": ('{"a":' + t("F32", "[2]", 0, 8) + ',"a":' + t("F32", "[2]", 8, 16) + "}", F32_16, None),
    "bad_missing_dtype": ('{"a":{"shape":[2],"data_offsets":[0,8]}}', F32_8, None),
    "bad_unknown_dtype": ('{"a":' + t("F33", "[2]", 0, 8) + "}", F32_8, None),
    "bad_lowercase_dtype": ('{"a":' + t("f32", "[2]", 0, 8) + "}", F32_8, None),
    # Dimensions that are not non-negative integers.
    "bad_true_dimension": ('{"a":' + t("F32", "[true,2]", 0, 8) + "}", F32_8, None),
    "bad_float_dimension": ('{"a":' + t("F32", "[2.0]", 0, 8) + "}", F32_8, None),
    "bad_negative_dimension": ('{"a":' + t("F32", "[-2]", 0, 8) + "}", F32_8, None),
    "bad_string_dimension": ('{"a":' + t("F32", '["2"]', 0, 8) + "}", F32_8, None),
    "bad_nested_dimension": ('{"a":' + t("F32", "[[2]]", 0, 8) + "}", F32_8, None),
    "bad_overflowing_shape": ('{"a":' + t("F32", "[4294967296,4294967296]", 0, 8) + "}", F32_8, None),
    # Header framing.
    "bad_header_size_past_file": ('{"a":' + t("F32", "[2]", 0, 8) + "}", F32_8, 4096),
    "bad_header_size_huge": ('{"a":' + t("F32", "[2]", 0, 8) + "}", F32_8, 1 << 40),
    "bad_header_not_json": ("{not json at all}", b"", None),
    "bad_header_is_array": ("[1,2,3]", b"", None),
    "ok_header_leading_space": (" " + '{"a":' + t("F32", "[2]", 0, 8) + "}", F32_8, None),
    "ok_escaped_name": ('{"w\\u00e9\\n\\ud83d\\ude00":' + t("F32", "[2]", 0, 8) + "}", F32_8, None),
    "ok_metadata_null": ('{"__metadata__":null,"a":' + t("F32", "[2]", 0, 8) + "}", F32_8, None),
    "ok_duplicate_key_same_entry": ('{"a":' + t("F32", "[2]", 0, 8) + ',"a":' + t("F32", "[2]", 0, 8) + "}", F32_8, None),
    "ok_duplicate_key_last_wins": ('{"a":' + t("F32", "[2]", 0, 8) + ',"a":' + t("F32", "[4]", 0, 16) + "}", F32_16, None),
    "ok_deep_extra_125": ('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"x":' + "[" * 125 + "]" * 125 + "}}", F32_8, None),
    "bad_deep_extra_126": ('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"x":' + "[" * 126 + "]" * 126 + "}}", F32_8, None),
    "bad_replaced_entry_invalid": ('{"a":{"dtype":"F32","shap":[2],"data_offsets":[0,8]},"a":' + t("F32", "[2]", 0, 8) + "}", F32_8, None),
    "bad_replaced_metadata_invalid": ('{"__metadata__":{"k":1},"__metadata__":{"k":"v"},"a":' + t("F32", "[2]", 0, 8) + "}", F32_8, None),
    "ok_replaced_entry_wrong_size": ('{"a":' + t("F32", "[82]", 0, 8) + ',"a":' + t("F32", "[4]", 0, 16) + "}", F32_16, None),
    "ok_bf16": ('{"a":' + t("BF16", "[4]", 0, 8) + "}", F32_8, None),
    "bad_entry_is_string": ('{"a":"x"}', b"", None),
    "bad_duplicate_field": ('{"a":{"dtype":"F32","dtype":"F32","shape":[2],"data_offsets":[0,8]}}', F32_8, None),
    "bad_header_not_utf8": (b'{"\xff":' + t("F32", "[2]", 0, 8).encode() + b"}", F32_8, None),
    "bad_lone_surrogate": ('{"\\ud800":' + t("F32", "[2]", 0, 8) + "}", F32_8, None),
    "bad_control_char_in_name": ('{"a\tb":' + t("F32", "[2]", 0, 8) + "}", F32_8, None),
    "bad_trailing_garbage": ('{"a":' + t("F32", "[2]", 0, 8) + "} x", F32_8, None),
    "bad_header_size_zero": ("", F32_8, None),
    "bad_metadata_is_string": ('{"__metadata__":"x","a":' + t("F32", "[2]", 0, 8) + "}", F32_8, None),
    "bad_metadata_not_string": ('{"__metadata__":{"k":1},"a":' + t("F32", "[2]", 0, 8) + "}", F32_8, None),
    "bad_entry_not_object": ('{"a":[1,2]}', b"", None),
    "bad_deep_metadata": ('{"__metadata__":{"k":' + "[" * 200 + "]" * 200 + "}}", b"", None),
    "bad_deep_entry": ('{"a":' + '{"x":' * 300 + "1" + "}" * 300 + "}", b"", None),
}


def verdict(path):
    """Open with the library and read every tensor, as a loader would."""
    try:
        with safe_open(path, framework="pt") as f:  # pt, not numpy: numpy has no bfloat16
            for key in f.keys():
                f.get_tensor(key)
        return True, "ok"
    except Exception as error:  # the library raises SafetensorError and others
        return False, f"{type(error).__name__}: {error}"


def main():
    os.makedirs(OUT, exist_ok=True)
    expectations = {"library": f"safetensors {safetensors.__version__}", "cases": {}}
    for name, (header, data, size_field) in CASES.items():
        raw = header if isinstance(header, bytes) else header.encode("utf-8")
        size = len(raw) if size_field is None else size_field
        path = os.path.join(OUT, name + ".safetensors")
        with open(path, "wb") as out:
            out.write(struct.pack("<Q", size) + raw + data)
        accepts, says = verdict(path)
        expectations["cases"][name] = {"accepts": accepts, "library_says": says}
        print(f"{name:34s} {'accept' if accepts else 'refuse'}  {says}")
    with open(os.path.join(OUT, "expectations.json"), "w") as out:
        json.dump(expectations, out, indent=1, sort_keys=True)
        out.write("\n")


if __name__ == "__main__":
    main()
