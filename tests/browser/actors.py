"""Two ways a person works a page: with a pointer, or with the keyboard alone.

Journeys are written once against this small vocabulary (follow a link, type into a
field, choose an option, press a button); ``Pointer`` clicks and fills, ``Keyboard``
reaches each control with Tab and works it with Space, Enter and the arrow keys, and
checks on the way that the focused control is visibly marked.
"""

from __future__ import annotations

#: More Tab presses than any page of the app needs to reach a control.
MAX_TABS = 300

_FOCUS_SHOWN = """el => {
  const s = getComputedStyle(el);
  return (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== "none";
}"""


class Pointer:
    """Clicks and fills, as most people do."""

    def __init__(self, page) -> None:
        self.page = page

    def follow(self, selector: str) -> None:
        """Follow a link to another page."""
        with self.page.expect_navigation():
            self.page.locator(selector).click()

    def jump(self, selector: str) -> None:
        """Follow a link within the page (an error summary's link to its field)."""
        self.page.locator(selector).click()

    def press(self, selector: str) -> None:
        """Press a button that sends a form."""
        with self.page.expect_navigation():
            self.page.locator(selector).click()

    def type(self, selector: str, text: str) -> None:
        self.page.locator(selector).fill(text)

    def choose(self, selector: str) -> None:
        """Tick a radio button or a checkbox."""
        self.page.locator(selector).check()

    def select(self, selector: str, value: str) -> None:
        self.page.locator(selector).select_option(value)


class Keyboard(Pointer):
    """Tab, Space, Enter and arrows only: no click, no fill."""

    def __init__(self, page) -> None:
        super().__init__(page)
        self.focused_visibly: int = 0

    def _active(self, handle, script: str = "(el) => document.activeElement === el") -> bool:
        return self.page.evaluate(script, handle)

    def tab_to(self, selector: str, *, same_group: bool = False) -> object:
        """Press Tab until the control has the focus (``same_group``: any radio of its group)."""
        target = self.page.locator(selector)
        assert target.count() == 1, f"{selector}: {target.count()} elements"
        handle = target.element_handle()
        reached = (
            "(el) => document.activeElement && document.activeElement.type === 'radio'"
            " && document.activeElement.name === el.name && document.activeElement.form === el.form"
            if same_group
            else "(el) => document.activeElement === el"
        )
        for _ in range(MAX_TABS):
            self.page.keyboard.press("Tab")
            if self._active(handle, reached):
                break
        else:
            raise AssertionError(f"{selector} cannot be reached with the Tab key")
        active = self.page.evaluate_handle("document.activeElement")
        assert self.page.evaluate(_FOCUS_SHOWN, active), f"{selector}: focus is not visible"
        self.focused_visibly += 1
        return handle

    def follow(self, selector: str) -> None:
        self.tab_to(selector)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def jump(self, selector: str) -> None:
        self.tab_to(selector)
        self.page.keyboard.press("Enter")

    def press(self, selector: str) -> None:
        self.tab_to(selector)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def type(self, selector: str, text: str) -> None:
        self.tab_to(selector)
        self.page.keyboard.press("Control+A")
        self.page.keyboard.press("Delete")
        self.page.keyboard.type(text)

    def choose(self, selector: str) -> None:
        """A checkbox: Tab to it, Space. A radio: Tab into its group, arrows to it."""
        kind = self.page.locator(selector).get_attribute("type")
        if kind == "radio":
            handle = self.tab_to(selector, same_group=True)
            for _ in range(MAX_TABS):
                if self._active(handle):
                    break
                self.page.keyboard.press("ArrowDown")
            self.page.keyboard.press("Space")
        else:
            handle = self.tab_to(selector)
            if not self.page.evaluate("(el) => el.checked", handle):
                self.page.keyboard.press("Space")
        assert self.page.evaluate("(el) => el.checked", handle), f"{selector} is not ticked"

    def select(self, selector: str, value: str) -> None:
        """Arrow up or down the closed list until the option is chosen."""
        handle = self.tab_to(selector)
        index = self.page.evaluate(
            "([el, v]) => [...el.options].findIndex(o => o.value === v) - el.selectedIndex",
            [handle, value],
        )
        key = "ArrowDown" if index > 0 else "ArrowUp"
        for _ in range(abs(index)):
            self.page.keyboard.press(key)
        chosen = self.page.evaluate("(el) => el.value", handle)
        assert chosen == value, f"{selector}: chose {chosen!r}, wanted {value!r}"
