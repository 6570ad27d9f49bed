"""Writing in the admin's story editor the way an editor does: on its surface, by its label, with the keyboard."""

from playwright.sync_api import Page, expect


def write(page: Page, label: str, *paragraphs: str) -> None:
    """Replace what the field labelled `label` holds with `paragraphs`, typed one after another."""
    surface = page.get_by_role("textbox", name=label)  # the hidden textarea is not a textbox on the page
    expect(surface).to_be_visible()
    surface.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    for number, paragraph in enumerate(paragraphs):
        if number:
            page.keyboard.press("Enter")
        page.keyboard.type(paragraph)
