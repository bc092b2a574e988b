"""The Jinja environment a layout is filled in with, and the limits a layout must keep to.

The limits keep a layout from exhausting the machine or writing raw Word XML.

Councils edit layouts, so a layout is treated as untrusted code. Jinja's sandbox already
stops it reaching Python's internals and (in its immutable form) changing docgen's values;
on top of that:

- every value is escaped, and nothing that would stop that (``|safe``, ``{% autoescape %}``,
  filters outside a short list of text filters) may be used, so roster text can never become
  Word XML;
- ``{% include %}``, ``{% extends %}``, ``{% import %}`` and recursive loops are refused;
- numbers, texts and lists may only grow so far (``'x' * 10**9``, ``9 ** (9 ** 9)``,
  ``range(10**9)``), loops may only turn so often, a part of a document may only grow so
  big, and filling in one agreement may only take so long. The checks run inside the
  template's own operations (operators, calls, filters, loop turns, joins), so they work
  the same on every system, Windows included, with no signals or threads.

A layout that breaks a rule raises `LayoutProblem`, whose message is a sentence about the
layout; the renderer adds the layout's file name.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, cast

from jinja2 import StrictUndefined, nodes, pass_context
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.filters import FILTERS
from jinja2.runtime import Context, markup_join
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Cycler, Joiner, Namespace

TIME_LIMIT = 5.0  # seconds to fill in one agreement; a real layout takes a few hundredths
MAX_TEXT = 2_000_000  # characters any one value may grow to (a whole agreement is ~100,000)
MAX_OUTPUT = 20_000_000  # characters of Word XML one part of an agreement may grow to
MAX_ITEMS = 100_000  # items in a list, numbers in a range (Jinja's own range limit)
MAX_LOOP_TURNS = 1_000_000  # turns of all loops together in one agreement
MAX_NUMBER_BITS = 128  # numbers up to about 3 x 10^38

# Filters a layout may use: ones that only reshape text and lists and cannot grow them
# much. Left out on purpose: safe (unescaped XML), format, indent, wordwrap, tojson,
# urlize, xmlattr, filesizeformat and anything else a layout has no use for.
ALLOWED_FILTERS = frozenset({
    "abs", "attr", "batch", "capitalize", "center", "count", "d", "default", "dictsort", "e",
    "escape", "first", "float", "forceescape", "groupby", "int", "items", "join", "last",
    "length", "list", "lower", "map", "max", "min", "reject", "rejectattr", "replace",
    "reverse", "round", "select", "selectattr", "slice", "sort", "string", "striptags", "sum",
    "title", "trim", "truncate", "unique", "upper", "wordcount",
})  # fmt: skip
# Methods of text that make text of any size from a small one; the filters cover their uses.
REFUSED_METHODS = frozenset({"format", "format_map", "expandtabs", "translate", "maketrans"})
NOT_ESCAPED = "would let text from the roster write raw Word XML into the agreement"


class LayoutProblem(SecurityError):
    """A layout used something it may not, or outgrew a limit.

    The message is a sentence that follows the layout's name ("the layout ours.docx ...").
    """


def layout_refusals(template: nodes.Template) -> list[str]:
    """What in the parsed layout `template` is refused before it runs; empty when nothing is.

    Each is a sentence that follows the layout's name.
    """
    found: list[str] = []
    tags = {nodes.Include: "include", nodes.Extends: "extends", nodes.Import: "import",
            nodes.FromImport: "from ... import"}  # fmt: skip
    found.extend(
        f"uses {{% {tags[type(node)]} %}}, which a layout cannot: a layout is one Word "
        "document, so type the text it would bring in into the layout itself"
        for node in template.find_all(tuple(tags))
    )
    if any(template.find_all((nodes.EvalContextModifier, nodes.ScopedEvalContextModifier))):
        found.append(f"uses {{% autoescape %}}, which {NOT_ESCAPED}; remove it")
    if any(template.find_all((nodes.MarkSafe, nodes.MarkSafeIfAutoescape))):
        found.append(f"marks text as safe, which {NOT_ESCAPED}; remove it")
    for node in template.find_all((nodes.Filter, nodes.FilterBlock)):
        name = (
            node.filter.name
            if isinstance(node, nodes.FilterBlock)
            else cast(nodes.Filter, node).name
        )
        if name in ("safe", "tojson", "xmlattr", "urlize"):
            found.append(f"uses the |{name} filter, which {NOT_ESCAPED}; remove it (docgen "
                         "prints every value as typed)")  # fmt: skip
        elif name not in ALLOWED_FILTERS:
            close = difflib.get_close_matches(name, sorted(ALLOWED_FILTERS), n=1, cutoff=0.6)
            hint = f": did you mean |{close[0]}? Layouts" if close else "; they"
            found.append(f"uses the |{name} filter, which layouts cannot use{hint} can use "
                         + ", ".join(sorted(ALLOWED_FILTERS)))  # fmt: skip
    if any(loop.recursive for loop in template.find_all(nodes.For)):
        found.append("uses a recursive loop ({% for ... recursive %}), which layouts cannot use")
    return list(dict.fromkeys(found))


PACED = "_paced"


class _LayoutCodeGenerator(CodeGenerator):
    """Jinja's compiler, with the refusals checked first.

    Every loop's sequence is paced, and every ``~`` join measured before it is made.
    """

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        refused = layout_refusals(node)
        if refused:
            raise LayoutProblem(refused[0])
        # Jinja allows no new kinds of node, so the pacing is a filter only docgen can add
        # (a layout's own |_paced is refused above, as not one of the allowed filters).
        for loop in list(node.find_all(nodes.For)):
            loop.iter = nodes.Filter(loop.iter, PACED, [], [], None, None, lineno=loop.lineno)
        super().visit_Template(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.joined((")
        for part in node.nodes:
            self.visit(part, frame)
            self.write(", ")
        self.write("))")


class LayoutEnvironment(ImmutableSandboxedEnvironment):
    """Fills in one agreement: make a new one for each.

    Its clock and loop count start when it is made.
    """

    code_generator_class = _LayoutCodeGenerator
    intercepted_binops = frozenset({"+", "*", "**", "%"})

    def __init__(self) -> None:
        super().__init__(undefined=StrictUndefined, autoescape=True, finalize=self._counted)
        self.started = time.monotonic()
        self.loop_turns = 0
        self.written = 0  # characters printed by {{ ... }}, in blocks and macros too
        self.globals = {"range": self._range, "dict": dict, "cycler": Cycler,
                        "joiner": Joiner, "namespace": Namespace}  # fmt: skip
        self.filters = {name: self._guarded(name, FILTERS[name]) for name in ALLOWED_FILTERS}
        self.filters[PACED] = pass_context(lambda _context, sequence: self.paced(sequence))

    def restart(self) -> None:
        """Start the clock and the counts again, for the next agreement."""
        self.started = time.monotonic()
        self.loop_turns = 0
        self.written = 0

    # -- the clock, and sizes -------------------------------------------------------------

    def check_time(self) -> None:
        """Stop the layout once it has run longer than `TIME_LIMIT`."""
        if time.monotonic() - self.started > TIME_LIMIT:
            raise LayoutProblem(
                f"takes more than {TIME_LIMIT:g} seconds to fill in for one agreement; make "
                "its loops and calculations smaller"
            )

    def checked(self, value: Any) -> Any:
        """`value`, if it is within the limits."""
        if isinstance(value, int) and value.bit_length() > MAX_NUMBER_BITS:
            raise LayoutProblem(_TOO_BIG_NUMBER)
        if isinstance(value, list | tuple | dict | set | frozenset):
            _limit_items(len(value))
        _limit_text(_size_of(value))
        return value

    def _counted(self, value: Any) -> Any:
        self.written += _size_of(value)
        if self.written > MAX_OUTPUT:
            raise LayoutProblem(_TOO_MUCH_OUTPUT)
        return value

    # -- hooks the compiled template calls ------------------------------------------------

    def concat(self, parts: Iterable[str]) -> str:
        """Jinja joins a template's (or a block's, or a macro's) output with this."""
        collected: list[str] = []
        size = 0
        for part in parts:
            size += len(part)
            if size > MAX_OUTPUT:
                raise LayoutProblem(_TOO_MUCH_OUTPUT)
            if not len(collected) % 256:
                self.check_time()
            collected.append(part)
        return "".join(collected)

    def joined(self, parts: tuple[Any, ...]) -> str:
        """The ``~`` operator."""
        self.check_time()
        _limit_text(sum(_size_of(part) for part in parts))
        return markup_join(parts)

    def paced(self, sequence: Iterable[Any]) -> Iterator[Any]:
        """A loop's sequence, counting every turn.

        It is passed the context, so Jinja never runs it while compiling, even on a constant
        list.
        """
        for item in sequence:
            self.loop_turns += 1
            if self.loop_turns > MAX_LOOP_TURNS:
                raise LayoutProblem(
                    f"repeats its loops more than {MAX_LOOP_TURNS:,} times for one agreement; "
                    "make its loops smaller"
                )
            self.check_time()
            yield item

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:  # noqa: C901
        """An operator, refused when it would make a number or text too big."""
        self.check_time()
        numbers = isinstance(left, int | float) and isinstance(right, int | float)
        if operator == "**" and numbers and isinstance(left, int) and isinstance(right, int):
            if right > 0 and abs(left) > 1 and right * left.bit_length() > MAX_NUMBER_BITS:
                raise LayoutProblem(_TOO_BIG_NUMBER)
        elif operator == "*" and not numbers:
            sequence, count = (left, right) if isinstance(right, int) else (right, left)
            if isinstance(count, int) and hasattr(sequence, "__len__"):
                if not isinstance(sequence, str):
                    _limit_items(len(sequence) * count)
                _limit_text(_size_of(sequence) * count)
        elif operator == "*" and isinstance(left, int) and isinstance(right, int):
            if left.bit_length() + right.bit_length() > MAX_NUMBER_BITS + 1:
                raise LayoutProblem(_TOO_BIG_NUMBER)
        elif (
            operator == "+"
            and not numbers
            and hasattr(left, "__len__")
            and hasattr(right, "__len__")
        ):
            if not isinstance(left, str):
                _limit_items(len(left) + len(right))
            _limit_text(_size_of(left) + _size_of(right))
        elif operator == "%" and isinstance(left, str):
            raise LayoutProblem(
                "formats text with %, which layouts cannot use; join values with ~ instead"
            )
        return self.checked(super().call_binop(context, operator, left, right))

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        """A call, with the arguments of text and list methods kept within the limits."""
        self.check_time()
        owner = getattr(obj, "__self__", None)
        if isinstance(owner, str | bytes | list | tuple | dict | int | float):
            name = getattr(obj, "__name__", "")
            _limit_arguments(f".{name}()", args, kwargs)
            if isinstance(owner, str) and name == "join" and args:
                items = list(args[0])
                _limit_text(sum(_size_of(item) for item in items) + len(owner) * len(items))
                args = (items, *args[1:])
            if isinstance(owner, str) and name == "replace" and len(args) >= 2:
                _limit_text(_replaced_size(owner, args[0], args[1]))
        return self.checked(super().call(context, obj, *args, **kwargs))

    def wrap_str_format(self, value: Any) -> None:  # noqa: ARG002
        """No `.format()` for layouts."""
        # Jinja would hand out a sandboxed .format(); layouts get none (see below).
        return None

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Whether a layout may use `attr` of `obj`; text methods that grow text are refused."""
        if isinstance(obj, str) and attr in REFUSED_METHODS:
            raise LayoutProblem(
                f"uses .{attr}() on text, which layouts cannot use (it can make text of any "
                "size); join values with ~ instead"
            )
        return super().is_safe_attribute(obj, attr, value)

    # -- what a layout may call -----------------------------------------------------------

    def _range(self, *args: int) -> range:
        numbers = range(*args)
        if len(numbers) > MAX_ITEMS:
            shown = ", ".join(f"{arg:,}" if isinstance(arg, int) else str(arg) for arg in args)
            raise LayoutProblem(
                f"counts range({shown}), more than the {MAX_ITEMS:,} numbers a layout may "
                "count; make it smaller"
            )
        return numbers

    def _guarded(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        # The value filtered may be any size; the options after it are what is limited.
        first_option = 2 if getattr(function, "jinja_pass_arg", None) is not None else 1

        @functools.wraps(function)  # keeps Jinja's marks (pass the context, and so on)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            self.check_time()
            _limit_arguments(f"|{name}", args[first_option:], kwargs)
            if len(args) >= first_option:
                _limit_text(_size_of(args[first_option - 1]))
            if name == "join" and len(args) >= 2:
                items = list(args[1])
                separator = args[2] if len(args) > 2 else kwargs.get("d", "")
                _limit_text(sum(_size_of(i) for i in items) + _size_of(separator) * len(items))
                args = (args[0], items, *args[2:])
            if name == "replace" and len(args) >= 4:
                _limit_text(_replaced_size(str(args[1]), args[2], args[3]))
            return self.checked(function(*args, **kwargs))

        return guarded


_TOO_MUCH_OUTPUT = (
    f"makes more than {MAX_OUTPUT:,} characters of Word XML for one agreement; make its loops "
    "smaller"
)
_TOO_BIG_NUMBER = (
    "works out a number too big to print (more than 38 digits); make its calculations smaller"
)


def _size_of(value: Any, limit: int = MAX_TEXT) -> int:
    """About how many characters `value` prints as, counting no further than just past `limit`.

    So a huge list costs no more to measure than a small one.
    """
    if isinstance(value, str):
        return len(value)
    if isinstance(value, bool) or value is None:
        return 5
    if isinstance(value, int):
        return value.bit_length() // 3 + 2
    if isinstance(value, dict):
        items: Iterable[Any] = itertools.chain.from_iterable(value.items())
    elif isinstance(value, list | tuple | set | frozenset):
        items = value
    else:
        return 64  # a float, a date, a cycler: a short line
    total = 2
    for item in items:
        total += _size_of(item, limit - total) + 2
        if total > limit:
            break
    return total


def _limit_text(size: int) -> None:
    if size > MAX_TEXT:
        raise LayoutProblem(
            f"makes a text of {size:,} characters, more than the {MAX_TEXT:,} a layout's value "
            "may have; make its calculations smaller"
        )


def _limit_items(size: int) -> None:
    if size > MAX_ITEMS:
        raise LayoutProblem(
            f"makes a list of {size:,} items, more than the {MAX_ITEMS:,} a layout's list may "
            "have; make its calculations smaller"
        )


def _limit_arguments(what: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ITEMS:
            raise LayoutProblem(
                f"gives {what} the number {value:,}, more than the {MAX_ITEMS:,} a layout may "
                "use there; make it smaller"
            )


def _replaced_size(text: str, old: Any, new: Any) -> int:
    old, new = str(old), str(new)
    found = text.count(old) if old else len(text) + 1
    return len(text) + found * (len(new) - len(old))


def make_environment() -> LayoutEnvironment:
    """A fresh environment to fill in one agreement (or check one layout) with."""
    return LayoutEnvironment()
