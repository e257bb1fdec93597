"""Markdown read as a reader sees it (CommonMark's code spans and backslash escapes), for the tests."""

import re


def read(markdown: str) -> tuple[str, str]:
    """How a reader sees ``markdown``: (the text outside code spans, all the text), by CommonMark's rules.

    Backslash escapes are undone; a code span's text is shown as written (one space each side dropped when both
    are there), and is never a link.
    """
    outside, whole, at = [], [], 0
    while at < len(markdown):
        if markdown[at] == "\\" and at + 1 < len(markdown) and not markdown[at + 1].isalnum():
            outside.append(markdown[at + 1])
            whole.append(markdown[at + 1])
            at += 2
            continue
        if markdown[at] == "`":
            run = re.match(r"`+", markdown[at:]).group(0)
            close = re.compile(rf"(?<!`){run}(?!`)").search(markdown, at + len(run))
            if close:
                code = markdown[at + len(run):close.start()]
                if len(code) > 2 and code.startswith(" ") and code.endswith(" ") and code.strip():
                    code = code[1:-1]
                whole.append(code)
                at = close.end()
                continue
            outside.append(run)
            whole.append(run)
            at += len(run)
            continue
        outside.append(markdown[at])
        whole.append(markdown[at])
        at += 1
    return "".join(outside), "".join(whole)


def outside_code(markdown: str) -> str:
    """The text of ``markdown`` a reader sees outside code spans."""
    return read(markdown)[0]


def without_code(markdown: str) -> str:
    """``markdown`` as written, less its code spans (whose text is shown as written, whatever it holds)."""
    out, at = [], 0
    for match in re.finditer(r"(?<![`\\])(`+)(?!`)", markdown):
        if match.start() < at:
            continue
        close = re.compile(rf"(?<!`){match.group(1)}(?!`)").search(markdown, match.end())
        if close:
            out.append(markdown[at:match.start()])
            at = close.end()
    return "".join(out) + markdown[at:]
