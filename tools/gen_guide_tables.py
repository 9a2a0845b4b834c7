#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Generate the reference tables of docs/USER_GUIDE.md from the code.

Three X-macro tables are the single source of truth (STYLE.md §5, §12, §13):

  stack/include/ikh/metrics_table.h  IKH_METRIC / IKH_BUCKETS rows
  stack/include/ikh/events_table.h   IKH_EVENT rows
  pcap/include/ikh/replay_metrics_table.h  IKH_REPLAY_METRIC rows (replay-metrics)
  stack/include/ikh/err_table.h      IKH_ERR rows

Each table is rendered as Markdown between a pair of marker comments in the
guide:

  <!-- BEGIN GENERATED metrics (tools/gen_guide_tables.py) -->
  ...
  <!-- END GENERATED metrics -->

(likewise `events` and `errors`). Everything outside the markers is left
alone. Without options the guide is rewritten in place; `--check` compares
and exits 1 when the guide differs from what the code gives (CTest
`guide_tables_fresh` runs that); `--print NAME` prints one table.
"""
import argparse
import os
import re
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
INC = os.path.join(ROOT, "stack", "include", "ikh")
GUIDE = os.path.join(ROOT, "docs", "USER_GUIDE.md")
TABLES = ("metrics", "replay-metrics", "events", "errors", "common-errors")

# The errors met most often, with a hint for the troubleshooting section.
# Names (or NAME_* prefixes) must exist in err_table.h; numbers come from it.
COMMON = [
    ("ARG_USAGE", "a command-line option is wrong: see `--help`"),
    ("SCN_*", "the scenario file: the message names line, column and key"),
    ("KEYS_*", "a key file of `replay` or `capdec_check`: `file:line` and `field N`"),
    ("IO_OPEN", "a file could not be opened (path relative to the current folder; key paths relative to the scenario)"),
    ("WIRE_PL_LEN_OVERRUN", "a payload Length runs past the message: truncated or corrupted input"),
    ("WIRE_RULE_*", "the message parses but breaks its exchange's payload rules (docs/conformance-matrix.md)"),
    ("PKT_*", "a capture record that is not IKE or cannot be read as a datagram (listed as skipped or damaged)"),
    ("CRYPTO_ICV", "integrity check failed: wrong keys, or a corrupted message"),
    ("IKE_NO_PROPOSAL", "no proposal in common: compare both sides' `proposals`"),
    ("IKE_INVALID_KE", "the KE group was not the one the responder wants: the initiator retries with it"),
    ("IKE_AUTH_FAILED", "PSK or key mismatch, or the wrong `peer_auth` method"),
    ("IKE_TS_UNACCEPTABLE", "the traffic selectors of the two sides do not overlap"),
    ("IKE_ID_MISMATCH", "the peer's identity is not `peer_id`"),
    ("IKE_TIMEOUT", "no answer within the retransmission budget: loss, wrong address or port, a firewall, a dead peer"),
    ("ESP_REPLAYED", "an ESP sequence number seen before (duplication on the link)"),
    ("ESP_NO_POLICY", "outbound traffic that no Child SA's selectors cover"),
    ("PCAP_RECORD", "a capture cut short: everything before it was read"),
]

# Label dimensions of metrics.h (see the comment in metrics_table.h).
LABELS = {"NONE": "", "ERR": "error", "PAYLOAD": "payload", "EXCH": "exch"}


def strip_comments(text):
    """Remove /* */ and // comments, keeping string literals intact."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
            out.append(" ")
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def c_string(tok):
    """Concatenate adjacent C string literals ("a" "b") into one str."""
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', tok)
    if not parts or re.sub(r'"((?:[^"\\]|\\.)*)"', "", tok).strip():
        raise ValueError(f"not a string literal: {tok!r}")
    s = "".join(parts)
    return re.sub(r"\\(.)", r"\1", s)


def rows(path, macro):
    """Every `macro(arg, ...)` invocation of a table file, as argument lists.

    Lines starting with #define / #ifndef etc. are skipped, so the
    defaulting boilerplate at the top and bottom of a table is ignored.
    """
    text = strip_comments(open(path, encoding="utf-8").read())
    text = "\n".join(l for l in text.split("\n") if not l.lstrip().startswith("#"))
    out = []
    for m in re.finditer(r"\b" + macro + r"\s*\(", text):
        i, depth, args, cur = m.end(), 1, [], []
        while depth:
            c = text[i]
            if c == '"':
                j = i + 1
                while text[j] != '"':
                    j += 2 if text[j] == "\\" else 1
                cur.append(text[i:j + 1])
                i = j + 1
                continue
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 0:
                    break
            elif c == "," and depth == 1:
                args.append("".join(cur).strip())
                cur = []
                i += 1
                continue
            cur.append(c)
            i += 1
        args.append("".join(cur).strip())
        out.append(args)
    return out


def md(s):
    return s.replace("|", "\\|")


def render_metrics():
    path = os.path.join(INC, "metrics_table.h")
    buckets = {a[0]: a[1:] for a in rows(path, "IKH_BUCKETS")}
    lines = ["| metric | type | label | histogram buckets (upper bounds) | meaning |",
             "|---|---|---|---|---|"]
    n = 0
    for a in rows(path, "IKH_METRIC"):
        if len(a) != 6:
            raise ValueError(f"metrics_table.h: IKH_METRIC with {len(a)} arguments: {a}")
        _id, typ, name, help_, label, bset = a
        name, help_ = c_string(name), c_string(help_)
        if label not in LABELS:
            raise ValueError(f"metrics_table.h: unknown label {label} for {name}")
        lab = f"`{LABELS[label]}`" if LABELS[label] else ""
        if typ == "HISTOGRAM":
            if bset not in buckets:
                raise ValueError(f"metrics_table.h: unknown bucket set {bset} for {name}")
            unit = ", ".join(buckets[bset]) + ", +Inf"
        else:
            unit = ""
        lines.append(f"| `{name}` | {typ.lower()} | {lab} | {unit} | {md(help_)} |")
        n += 1
    lines.append("")
    lines.append(f"{n} metrics, from `stack/include/ikh/metrics_table.h`.")
    return "\n".join(lines)


def render_replay_metrics():
    path = os.path.join(ROOT, "pcap", "include", "ikh", "replay_metrics_table.h")
    lines = ["| metric | type | labels | meaning |", "|---|---|---|---|"]
    n = 0
    for a in rows(path, "IKH_REPLAY_METRIC"):
        if len(a) != 4:
            raise ValueError(f"replay_metrics_table.h: IKH_REPLAY_METRIC with {len(a)} arguments: {a}")
        name, label, help_, _field = a
        name, label, help_ = c_string(name), c_string(label), c_string(help_)
        lab = ", ".join(f"`{x}`" for x in label.split(",") if x)
        lines.append(f"| `{name}` | counter | {lab} | {md(help_)} |")
        n += 1
    lines.append("")
    lines.append(f"{n} metrics, from `pcap/include/ikh/replay_metrics_table.h`.")
    return "\n".join(lines)


def render_events():
    path = os.path.join(INC, "events_table.h")
    lines = ["| event | level | fields | meaning |", "|---|---|---|---|"]
    n = 0
    for a in rows(path, "IKH_EVENT"):
        if len(a) != 5:
            raise ValueError(f"events_table.h: IKH_EVENT with {len(a)} arguments: {a}")
        _id, name, lvl, desc, fields = a
        name, desc, fields = c_string(name), c_string(desc), c_string(fields)
        f = ", ".join(f"`{x}`" for x in fields.split(",") if x)
        lines.append(f"| `{name}` | {lvl.lower()} | {f} | {md(desc)} |")
        n += 1
    lines.append("")
    lines.append(f"{n} events, from `stack/include/ikh/events_table.h`.")
    return "\n".join(lines)


def render_errors():
    path = os.path.join(INC, "err_table.h")
    lines = ["| code | name | Notify to the peer | disposition | meaning |",
             "|---|---|---|---|---|"]
    n = 0
    for a in rows(path, "IKH_ERR"):
        if len(a) != 5:
            raise ValueError(f"err_table.h: IKH_ERR with {len(a)} arguments: {a}")
        name, num, notify, disp, msg = a
        msg = c_string(msg)
        nt = "" if notify == "NONE" else f"`{notify}`"
        ds = "" if disp == "NONE" else disp.lower()
        lines.append(f"| {int(num)} | `{name}` | {nt} | {ds} | {md(msg)} |")
        n += 1
    lines.append("")
    lines.append(f"{n} codes, from `stack/include/ikh/err_table.h`.")
    return "\n".join(lines)


def render_common():
    path = os.path.join(INC, "err_table.h")
    nums = {a[0]: int(a[1]) for a in rows(path, "IKH_ERR")}
    lines = ["| code | name | usually means |", "|---|---|---|"]
    for name, hint in COMMON:
        if name.endswith("_*"):
            got = sorted(v for k, v in nums.items() if k.startswith(name[:-1]))
            if not got:
                raise ValueError(f"err_table.h: no code named {name}")
            code = f"{got[0]}–{got[-1]}" if len(got) > 1 else str(got[0])
        else:
            if name not in nums:
                raise ValueError(f"err_table.h: no code named {name}")
            code = str(nums[name])
        lines.append(f"| {code} | `{name}` | {md(hint)} |")
    return "\n".join(lines)


RENDER = {"metrics": render_metrics, "replay-metrics": render_replay_metrics,
          "events": render_events, "errors": render_errors,
          "common-errors": render_common}


def begin(name):
    return f"<!-- BEGIN GENERATED {name} (tools/gen_guide_tables.py) -->"


def end(name):
    return f"<!-- END GENERATED {name} -->"


def fill(text):
    """The guide with every generated block replaced; errors if a marker is missing."""
    for name in TABLES:
        b, e = begin(name), end(name)
        if text.count(b) != 1 or text.count(e) != 1:
            raise ValueError(f"{GUIDE}: needs exactly one '{b}' and one '{e}'")
        i, j = text.index(b) + len(b), text.index(e)
        if j < i:
            raise ValueError(f"{GUIDE}: '{e}' comes before '{b}'")
        text = text[:i] + "\n" + RENDER[name]() + "\n" + text[j:]
    return text


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="exit 1 when the guide's generated tables are stale")
    ap.add_argument("--print", choices=TABLES, help="print one table and exit")
    ap.add_argument("--guide", default=GUIDE, help="the Markdown file (default docs/USER_GUIDE.md)")
    a = ap.parse_args()
    if a.print:
        print(RENDER[a.print]())
        return 0
    cur = open(a.guide, encoding="utf-8").read()
    try:
        new = fill(cur)
    except ValueError as e:
        print(f"gen_guide_tables: {e}", file=sys.stderr)
        return 1
    if a.check:
        if new != cur:
            import difflib
            sys.stdout.writelines(difflib.unified_diff(
                cur.splitlines(True), new.splitlines(True),
                "docs/USER_GUIDE.md (committed)", "docs/USER_GUIDE.md (from the code)", n=1))
            print(f"{a.guide}: generated tables are stale: run tools/gen_guide_tables.py")
            return 1
        print("guide tables up to date")
        return 0
    if new != cur:
        open(a.guide, "w", encoding="utf-8").write(new)
        print(f"rewrote the generated tables of {a.guide}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
