"""A private link's token never reaches a log line, however the path is written."""

from __future__ import annotations

import pytest

from consult.web.private_paths import hide_tokens


@pytest.mark.parametrize(
    ("written", "logged"),
    [
        ("/c/enia-2021/r/s3cr3t-T0ken", "/c/enia-2021/r/***"),
        ("/c/enia-2021/r/s3cr3t-T0ken/withdraw", "/c/enia-2021/r/***/withdraw"),
        ("/c/enia-2021/r/s3cr3t-T0ken/edit?lang=en", "/c/enia-2021/r/***/edit?lang=en"),
        ("GET /c/enia-2021/r/s3cr3t-T0ken HTTP/1.1", "GET /c/enia-2021/r/*** HTTP/1.1"),
        ("http://example.org/c/x/r/s3cr3t-T0ken", "http://example.org/c/x/r/***"),
        ("/c/enia-2021/%72/s3cr3t-T0ken", "/c/enia-2021/r/***"),
        ("/c/enia-2021%2Fr%2Fs3cr3t-T0ken", "/c/enia-2021/r/***"),
        ("/c/enia-2021/s/5-3", "/c/enia-2021/s/5-3"),
        ("/console/c/enia-2021/responses?q=100%25", "/console/c/enia-2021/responses?q=100%25"),
    ],
)
def test_the_token_is_replaced(written, logged):
    assert hide_tokens(written) == logged
    assert "s3cr3t" not in hide_tokens(written)
