"""Tests of consult.systematising: runs and what coordinators decide on suggestions."""
