"""The review app (`ssid-tui review`): Textual screens and widgets over `session.ReviewSession`.

Layout: `app.py` (the App, its crash path and palette), `review_screen.py` (the main
screen and its actions), `keymap.py` (every key, once), `session.py` (the review state,
no Textual), `render.py` (rows and differences as Rich text), `widgets/` and `screens/`.
"""
