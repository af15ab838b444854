# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The tenant export's YAML text (controller side): ``dump`` writes the bytes ``reference`` (PyYAML's pure-Python
emitter) writes, about 20 times faster.

The layout: ``---``, keys sorted, block style, sequences indented under their key, unicode kept, no line folding.
libyaml's emitter cannot indent sequences, so the fast path writes the lines itself and asks PyYAML's own emitter
and resolver how to write each string (plain or single-quoted). Whatever it does not reproduce exactly (a float, a
string that needs double quotes or several lines, an empty key or one of 123+ characters, a non-str key, a type
other than dict/list/str/int/bool/None, a top-level scalar) makes ``dump`` write the WHOLE document with
``reference``, so the text is always PyYAML's.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import yaml
from yaml.emitter import Emitter
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

_STR_TAG = "tag:yaml.org,2002:str"
# Plain for sure unless a YAML 1.1 bool or null word: no indicator, no ': ' or ' #', single inner spaces, no
# leading or trailing space, and a leading letter or '_' (no number, date, '.inf' or '<<' either).
_OBVIOUS = re.compile(r"[A-Za-z_][A-Za-z0-9_.@/+-]*(?: [A-Za-z0-9_.@/+-]+)*\Z")
_WORDS = frozenset(w for base in ("yes", "no", "true", "false", "on", "off", "null")
                   for w in (base, base.capitalize(), base.upper()))
# the emitter breaks a line at a space past its width (2**20 columns): far longer strings go to the reference
_LONGEST = 1 << 18


class _Fallback(Exception):
    pass


def reference(data, header=None):
    """PyYAML's text for ``data`` (plain dict/list/str/int/float/bool/None), each ``header`` line as a comment."""

    class _Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data):
            return True

        def increase_indent(self, flow=False, indentless=False):
            return super(_Dumper, self).increase_indent(flow, False)

    text = yaml.dump(data, Dumper=_Dumper, default_flow_style=False, sort_keys=True, allow_unicode=True,
                     width=1 << 20, indent=2, explicit_start=True, line_break="\n")
    return _header(header) + text


def _header(header):
    return "".join("# %s\n" % line if line else "#\n" for line in header.splitlines()) if header else ""


def dump(data, header=None, prepare=None):
    """Exactly ``reference(data, header)``, written by ``fast`` when it can.

    ``prepare``: a function returning ``data`` as plain types (the same value when it is already plain), called only
    when ``fast`` cannot write ``data`` as it is (e.g. Ansible's str subclasses): the text is then
    ``reference(prepare(data), header)``, by ``fast`` when it can. Plain data is not copied.
    """
    text = fast(data)
    if text is None and prepare is not None:
        data = prepare(data)
        text = fast(data)
    if text is None:
        return reference(data, header)
    return _header(header) + text


def fast(data):
    """``reference(data)`` without a header, or None when only the reference writes ``data`` exactly."""
    out = ["---"]
    block = _BLOCKS.get(type(data))  # exact types throughout: a subclass of str or dict is the reference's to write
    if block is None:
        return None  # a top-level scalar (the reference ends it with '...' when plain)
    try:
        if data:
            out.append("\n")
            block(data, out, "", False, {})
        else:
            out.append(" %s\n" % _EMPTY[type(data)])
    except _Fallback:
        return None
    return "".join(out)


_EMITTER = Emitter(None, allow_unicode=True)
_RESOLVER = Resolver()
# PyYAML writes a key as an explicit '? key' entry from 128 characters of key and tag ('!!str', even when not written)
_SIMPLE_KEY = 128 - len("!!str")


def _string(text, memo):
    """``text`` as PyYAML writes a str scalar (plain or single-quoted)."""
    if _OBVIOUS.match(text) and text not in _WORDS:
        return text
    written = memo.get(text)
    if written is None:
        written = memo[text] = _analysed(text)
    return written


def _analysed(text):
    if len(text) > _LONGEST:
        raise _Fallback()
    analysis = _EMITTER.analyze_scalar(text)
    if analysis.multiline:
        raise _Fallback()
    if analysis.allow_block_plain and _RESOLVER.resolve(ScalarNode, text, (True, False)) == _STR_TAG:
        return text
    if analysis.allow_single_quoted:
        return "'%s'" % text.replace("'", "''")
    raise _Fallback()  # double-quoted: escapes


def _scalar(value, memo):
    kind = type(value)
    if kind is str:
        return _string(value, memo)
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if value is None:
        return "null"
    raise _Fallback()  # float (its own spelling), any other type


def _key(key, memo):
    kind = type(key)
    if kind is not str or not key or len(key) >= _SIMPLE_KEY:
        raise _Fallback()
    return _string(key, memo)


def _mapping(data, out, indent, inline, memo):
    """A non-empty block mapping at column len(indent); ``inline``: its first key follows '- ' on the same line."""
    try:
        keys = sorted(data)
    except TypeError:
        raise _Fallback()
    for key in keys:
        if inline:
            inline = False
        else:
            out.append(indent)
        out.append(_key(key, memo))
        _value(data[key], out, indent, memo, ":")


def _sequence(data, out, indent, inline, memo):
    for item in data:
        if inline:
            inline = False
        else:
            out.append(indent)
        _value(item, out, indent, memo, "-")


def _value(value, out, indent, memo, indicator):
    """``value`` after its key (``indicator`` ':') or as a sequence item ('-'): a non-empty collection as a block
    below a key or on the item's line, anything else on the same line."""
    kind = type(value)
    block = _BLOCKS.get(kind)
    if block is not None and value:
        out.append(":\n" if indicator == ":" else "- ")
        block(value, out, indent + "  ", indicator == "-", memo)
    else:
        out.append("%s %s\n" % (indicator, _EMPTY[kind] if block is not None else _scalar(value, memo)))


_BLOCKS = {dict: _mapping, list: _sequence}
_EMPTY = {dict: "{}", list: "[]"}
