"""One reviewer's inbox session in a process of its own (Streamlit's AppTest), for the
concurrency test: it opens the inbox and fills in the form to write off the given line with
a note, prints "ready", and clicks Write off when it reads a line on stdin; then it prints
what the page said as JSON. Two of these told to go at once are two reviewers acting at
once (however long each took to load the page).

    python tests/inbox_session.py LINE_ID REVIEWER NOTE
"""

import json
import sys
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app" / "inbox.py")


def main(line_id: str, reviewer: str, note: str) -> None:
    app = AppTest.from_file(APP, default_timeout=300)
    app.run()
    app.sidebar.text_input(key="reviewer").input(reviewer)
    app.multiselect(key="selected_lines").select(line_id)
    app.text_area(key="note").input(note)
    app.run()
    print("ready", flush=True)
    sys.stdin.readline()
    app.button(key="action_WRITE_OFF").click()
    app.run()
    print(
        json.dumps(
            {
                "exception": [str(e.value) for e in app.exception],
                "success": [s.value for s in app.success],
                "error": [e.value for e in app.error],
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
