"""Hypothesis settings of the suite, and the hostile values it sends.

Examples are few by default, so the suite stays fast on a shared machine; run
``CONSULT_SECURITY_PROFILE=security-deep pytest tests/security`` for a longer search.

Each example builds what it needs (a fresh respondent, a fresh CSRF token) and compares
its own before and after, so sharing the test's function-scoped app between examples is
sound: that is why the function_scoped_fixture health check is suppressed.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

#: Examples per test are multiplied by the profile's scale.
SCALE = {"security": 1, "security-deep": 10}
for _name in SCALE:
    settings.register_profile(
        _name,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        print_blob=True,
    )
PROFILE = os.environ.get("CONSULT_SECURITY_PROFILE", "security")


def fuzz(examples: int) -> settings:
    """Settings for a test worth ``examples`` examples in the default profile."""
    return settings(settings.get_profile(PROFILE), max_examples=examples * SCALE[PROFILE])


# ---------------------------------------------------------------- hostile values

#: Values chosen by hand: numbers a parser chokes on, digits that are not ASCII, markup,
#: template syntax, injection, paths and addresses that lead elsewhere, odd Unicode.
SPECIAL = [
    "", " ", "\x00", "\x00" * 3, "0", "-1", "1.5", "1e309", "NaN", "-0",
    "99999999999999999999999999", "²", "①", "٣", "true", "null", "[]", "{}", "{\"a\": 1}",
    "' OR '1'='1", "1; DROP TABLE response; --", "%", "_", "\\", "%00", "%s%s%n",
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)",
    "{{7*7}}", "{% raw %}", "${7*7}", "../../etc/passwd", "//evil.example",
    "https://evil.example/", "/\\evil.example", "/c/enia-2021/\\\\evil", "\t//evil.example",
    "/c/enia-2021/../../console/", "\ufeff", "\u202e", "\u200b", "\uffff", "\U0010ffff",
    "\U0001f1f5\U0001f1ea", "a\u0301", "İ", "ß", "\u2028", "ｅｍａｉｌ＠ｅｘａｍｐｌｅ.org",
    "x@example.org\x00", "a@b", "@", "é" * 201, "A" * 301,
]  # fmt: skip

#: Characters of the unusual planes: supplementary planes, private use, unassigned.
_ASTRAL = st.characters(min_codepoint=0x10000, max_codepoint=0x10FFFF, exclude_categories=["Cs"])
#: Control and format characters: NUL, escapes, bidirectional overrides, line separators.
_CONTROL = st.characters(categories=["Cc", "Cf", "Zl", "Zp"])

hostile_text = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(max_size=40),
    st.text(_ASTRAL, min_size=1, max_size=12),
    st.text(_CONTROL, min_size=1, max_size=12),
    st.builds("".join, st.lists(st.sampled_from(SPECIAL + ["x", " "]), max_size=5)),
    st.sampled_from([201, 255, 301, 5001, 20_000]).map(lambda n: "x" * n),
    st.integers().map(str),
    st.floats().map(str),
)
#: A value as it reaches the server: text, raw bytes (any encoding, broken UTF-8 too).
hostile_value = st.one_of(hostile_text, st.binary(min_size=1, max_size=20))
#: A text a person could really type: any Unicode but the characters no text holds.
typed_text = st.text(
    st.characters(exclude_categories=["Cs", "Cc"]) | st.sampled_from("\n\t"), max_size=60
)
