"""The issue's journeys in Chromium: every page accessible, valid, light, in the right language.

(a) a stakeholder responds; (b) a coordinator moderates, tags and reports; (c) both in
English after switching language; (d) journey (a) with JavaScript off; (e) journey (a)
at 360 px wide with the keyboard alone; (f) another country's consultation, without
JavaScript, skipping its gated section; (g) a coordinator systematises the contributions
(campaigns, suggested themes, opinion groups, who is missing) without JavaScript.
``Visit.check`` asserts on every page.
"""

from __future__ import annotations

from .actors import Keyboard, Pointer
from .journeys import coordinate, respond, respond_elsewhere, systematise
from .pagecheck import PHONE, Visit


def test_a_stakeholder_responds_reviews_submits_and_edits(browser, base_url, recorder):
    visit = Visit(browser, base_url, recorder, "a-stakeholder")
    try:
        respond(visit, Pointer)
    finally:
        visit.close()


def test_b_coordinator_moderates_tags_and_downloads_the_report(browser, base_url, recorder):
    visit = Visit(browser, base_url, recorder, "b-coordinator")
    try:
        coordinate(visit, Pointer, theme="Brecha digital")
    finally:
        visit.close()


def test_c_both_journeys_in_english_after_switching(browser, base_url, recorder):
    stakeholder = Visit(browser, base_url, recorder, "c-stakeholder-en")
    try:
        respond(stakeholder, Pointer, english=True)
    finally:
        stakeholder.close()
    coordinator = Visit(browser, base_url, recorder, "c-coordinator-en")
    try:
        coordinate(coordinator, Pointer, theme="Digital divide", english=True)
    finally:
        coordinator.close()


def test_d_stakeholder_journey_without_javascript(browser, base_url, recorder):
    visit = Visit(browser, base_url, recorder, "d-no-javascript", javascript=False)
    try:
        respond(visit, Pointer)
    finally:
        visit.close()


def test_e_stakeholder_journey_on_a_phone_with_the_keyboard_alone(browser, base_url, recorder):
    visit = Visit(browser, base_url, recorder, "e-keyboard-phone", viewport=PHONE)
    try:
        respond(visit, Keyboard)
    finally:
        visit.close()


def test_f_another_countrys_consultation_without_javascript(browser, valle, recorder):
    visit = Visit(browser, valle, recorder, "f-valle", javascript=False)
    try:
        respond_elsewhere(visit, Pointer)
    finally:
        visit.close()


def test_g_coordinator_systematises_the_contributions(browser, insight_seed, recorder):
    visit = Visit(browser, insight_seed, recorder, "g-insight", javascript=False)
    try:
        systematise(visit, Pointer, theme="Formación docente en IA")
    finally:
        visit.close()
