"""Full-width punctuation in Chinese text: the rule, a scanner over the source and a fixer.

A mark of ``,;:!?().`` that touches a Chinese character (spaces between do not count) stands
in Chinese text and must be its full-width form ，；：！？（）。. Not marks of Chinese text:
URLs and file names (``www.szca.com``, ``申请表.pdf``), numbers (``0.01元``), code and
identifiers, format placeholders (``{name}``, ``%s``, ``%(name)s``) and regular expressions.

    python tests/unit/architecture/full_width.py          # list what the test would fail on
    python tests/unit/architecture/full_width.py --fix    # rewrite those marks in place
"""

from __future__ import annotations

import ast
import io
import re
import sys
import tokenize
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SCANNED = (ROOT / "src", ROOT / "emulator")
TEXT_SUFFIXES = (".html", ".js")
# Texts that are not ours to word: the Tencent Cloud API's own error messages, which the
# mock returns exactly as Tencent publishes them.
NOT_OURS = ("emulator/mock_providers/tencent_errors.py",)

IGNORE = "# full-width: no"
HAN = "\u3400-\u4dbf\u4e00-\u9fff"
# A Chinese character or a full-width mark: an ASCII mark touching one is in Chinese text.
CHINESE = f"{HAN}\u3000-\u303f\uff01-\uff60\u201c\u201d\u2018\u2019\u2026\u2014《》"
FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）", ".": "。"}
_MARK_AFTER = re.compile(rf"(?<=[{CHINESE}]) *([,;!?:])(?!//) *")  # 失败,请 / 提示: x
_MARK_BEFORE = re.compile(rf" *([,;!?:]) *(?=[{HAN}])")  # CA,请 / 1:请
_STOP = re.compile(rf"(?<=[{CHINESE}])\.(?![A-Za-z0-9.])")  # 完成. (not 申请表.pdf)
# Placeholders stand for values, not for text: {name}, {0:.2f}, %s, %(x)d, %.1f.
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%(?:\([a-z_]+\))?[-+ #0]*\d*(?:\.\d+)?[sdifrx]")
_REGEX_HINTS = ("(?", "\\d", "\\s", "\\w", "[^", "\\(", ".+", ".*", "|")


def is_chinese_text(text: str) -> bool:
    if not re.search(f"[{HAN}]", text):
        return False
    regex = (any(hint in text for hint in _REGEX_HINTS)
             or text.startswith("^") or text.endswith("$"))
    return not regex


def _protected(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _PLACEHOLDER.finditer(text)]


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


def _paren_pairs(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Matching ``(`` ``)`` pairs of ``text`` outside placeholders; an unmatched one pairs
    with itself."""
    pairs, stack = [], []
    for i, char in enumerate(text):
        if _inside(i, spans):
            continue
        if char == "(":
            stack.append(i)
        elif char == ")":
            pairs.append((stack.pop(), i) if stack else (i, i))
    pairs.extend((i, i) for i in stack)
    return pairs


def _touches_chinese(text: str, i: int) -> bool:
    left, right = text[:i].rstrip(" "), text[i + 1:].lstrip(" ")
    return bool((left and re.match(f"[{CHINESE}]", left[-1]))
                or (right and re.match(f"[{CHINESE}]", right[0])))


def marks(text: str) -> list[int]:
    """Positions of the ASCII marks of ``text`` that stand in Chinese text."""
    if not is_chinese_text(text):
        return []
    spans = _protected(text)
    found = set()
    for rule in (_MARK_AFTER, _MARK_BEFORE):
        found.update(m.start(1) for m in rule.finditer(text) if not _inside(m.start(1), spans))
    found.update(m.start() for m in _STOP.finditer(text) if not _inside(m.start(), spans))
    for opening, closing in _paren_pairs(text, spans):
        if _touches_chinese(text, opening) or _touches_chinese(text, closing):
            found.update({opening, closing})
    return sorted(found)


def violations(text: str) -> list[str]:
    """Each misplaced mark of ``text`` with a few characters either side."""
    return [text[max(0, i - 6):i + 7] for i in marks(text)]


def _replacements(text: str) -> list[str]:
    """Per character of ``text``: itself, its full-width form, or "" for a space beside a
    converted mark (a full-width mark carries its own spacing). Repeated until stable: a
    converted bracket can put the next mark into Chinese text ("）,")."""
    chars = list(text)
    converted: set[int] = set()
    while positions := marks("".join(chars)):
        for i in positions:
            chars[i] = FULL[chars[i]]
            converted.add(i)
    for i in converted:
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(chars) and chars[j] == " ":
                chars[j] = ""
                j += step
    return chars


def fixed(text: str) -> str:
    """``text`` with its marks in full width and the spaces around them dropped."""
    return "".join(_replacements(text))


# --- the source ------------------------------------------------------------------------------
def _docstring_lines(tree: ast.AST) -> set[int]:
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                lines.add(body[0].lineno)
    return lines


def _string_groups(source: str) -> Iterator[list[tokenize.TokenInfo]]:
    """Runs of adjacent string tokens (implicit concatenation: one text), docstrings and raw
    strings left out."""
    docstrings = _docstring_lines(ast.parse(source))
    # An English sentence that quotes Chinese words keeps its own marks: "# full-width: no".
    english = {n for n, line in enumerate(source.splitlines(), 1) if IGNORE in line}
    def marked(run: list[tokenize.TokenInfo]) -> bool:
        return any({t.start[0], t.end[0]} & english for t in run)

    group: list[tokenize.TokenInfo] = []
    between = (tokenize.NL, tokenize.COMMENT, tokenize.NEWLINE, tokenize.INDENT,
               tokenize.DEDENT)
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.STRING:
            if token.start[0] in docstrings or "r" in _body(token.string)[0].lower():
                if group and not marked(group):
                    yield group
                group = []
                continue
            group.append(token)
        elif token.type not in between or token.type == tokenize.NEWLINE:
            if group and not marked(group):
                yield group
            group = []
    if group and not marked(group):
        yield group


def _body(literal: str) -> tuple[str, str, str]:
    """A string token split into prefix+quote, content, quote."""
    prefix = re.match(r"[A-Za-z]*", literal).group(0)  # type: ignore[union-attr]
    quote = literal[len(prefix):len(prefix) + 3]
    if quote not in ('"""', "'''"):
        quote = quote[0]
    return (literal[:len(prefix) + len(quote)], literal[len(prefix) + len(quote):-len(quote)],
            literal[-len(quote):])


def _files() -> Iterator[Path]:
    for base in SCANNED:
        for path in sorted(base.rglob("*")):
            relative = str(path.relative_to(ROOT))
            # Migrations are history: a revision's text stays as it was applied.
            if (path.suffix in (".py", *TEXT_SUFFIXES) and relative not in NOT_OURS
                    and "/migrations/" not in relative):
                yield path


def _python_texts(source: str) -> Iterator[tuple[int, str]]:
    for group in _string_groups(source):
        yield group[0].start[0], "".join(_body(t.string)[1] for t in group)


def _template_texts(source: str) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(source.splitlines(), 1):
        if not line.lstrip().startswith(("//", "/*", "*", "{#")):
            yield number, line


def scan() -> list[str]:
    problems = []
    for path in _files():
        source = path.read_text(encoding="utf-8")
        texts = _python_texts(source) if path.suffix == ".py" else _template_texts(source)
        for line, text in texts:
            problems.extend(f"{path.relative_to(ROOT)}:{line}: {bad!r}" for bad in violations(text))
    return problems


def fix_file(path: Path) -> bool:
    source = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        lines = source.split("\n")
        new = "\n".join(line if line.lstrip().startswith(("//", "/*", "*", "{#")) else fixed(line)
                        for line in lines)
    else:
        lines = source.splitlines(keepends=True)
        edits = []
        for group in _string_groups(source):
            parts = [_body(t.string) for t in group]
            chars = _replacements("".join(content for _, content, _ in parts))
            start = 0
            for token, (prefix, content, quote) in zip(group, parts, strict=True):
                new_content = "".join(chars[start:start + len(content)])
                start += len(content)
                if new_content != content:
                    edits.append((token.start, token.end, prefix + new_content + quote))
        for (row, col), (end_row, end_col), text in reversed(edits):
            head = lines[row - 1][:col]
            tail = lines[end_row - 1][end_col:]
            lines[row - 1:end_row] = [head + text + tail]
        new = "".join(lines)
    if new != source:
        path.write_text(new, encoding="utf-8")
        return True
    return False


if __name__ == "__main__":
    if "--fix" in sys.argv:
        changed = [p for p in _files() if fix_file(p)]
        print("\n".join(str(p.relative_to(ROOT)) for p in changed))
        print(f"{len(changed)} files rewritten", file=sys.stderr)
    else:
        found = scan()
        print("\n".join(found))
        sys.exit(1 if found else 0)
