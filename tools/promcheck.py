#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""promcheck: a strict checker of Prometheus text exposition format 0.0.4.

Usage: promcheck.py FILE...   (a FILE may be "-" for standard input)

Each file is checked on its own and stops at its first problem, reported
as one line on standard error: "promcheck: FILE:LINE: what". Exit status:
0 when every file passes, 1 when one has a problem, 2 on bad usage or an
unreadable file (2 wins over 1).

Checked, from the format (https://prometheus.io/docs/instrumenting/exposition_formats/):
  - UTF-8 text, lines end in "\\n" (the last one too), no "\\r";
  - "# HELP name text" (escapes \\\\ and \\n only) and "# TYPE name type"
    (counter, gauge, histogram, summary, untyped), at most once per family
    and before the family's samples;
  - metric names [a-zA-Z_:][a-zA-Z0-9_:]*, label names [a-zA-Z_][a-zA-Z0-9_]*
    not starting with "__", no label twice in a sample, label values quoted
    with escapes \\\\, \\" and \\n only;
  - the samples of a family are contiguous (a family never comes back) and
    their names fit its type (histogram: NAME_bucket, NAME_sum, NAME_count;
    summary: NAME, NAME_sum, NAME_count; otherwise NAME); no series twice;
  - "le" only on histogram buckets (and there always), "quantile" only on
    summaries; counters and bucket counts are not negative;
  - histograms, per label set: bucket bounds strictly increasing, counts
    cumulative (non-decreasing), a le="+Inf" bucket last, equal to _count,
    and _sum and _count present.

Checked beyond the format, because ikeharness always writes its exports
this way and a deviation means a bug (messages say "ikeharness:"):
  - every family has "# HELP" then, on the next line, "# TYPE";
  - no blank lines, no other comments, no timestamps, a single space
    between tokens, no trailing comma in a label set;
  - values and le bounds are integers (le may be "+Inf"); counter names
    end in "_total";
  - families sorted by name; series sorted by label set; histogram lines
    per label set in the order buckets, _sum, _count.

Python 3 standard library only.
"""
import re
import sys

NAME_RE = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL_RE = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
INT_RE = re.compile(r"-?(0|[1-9][0-9]*)\Z")
TYPES = ("counter", "gauge", "histogram", "summary", "untyped")


class CheckError(Exception):
    """A problem in the checked text; lineno 0 means the whole file."""

    def __init__(self, lineno, msg):
        super().__init__(msg)
        self.lineno = lineno
        self.msg = msg


def unescape(text, allowed, lineno, what):
    """Undo the format's backslash escapes; other escapes are errors."""
    out = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            if i + 1 >= len(text) or text[i + 1] not in allowed:
                raise CheckError(lineno, "bad escape in %s: %r" % (what, text[i:i + 2]))
            out.append("\n" if text[i + 1] == "n" else text[i + 1])
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def parse_labels(line, pos, lineno):
    """Parse '{...}' starting at line[pos] == '{'. Returns (labels, pos after '}')."""
    labels = {}
    order = []
    pos += 1
    if pos < len(line) and line[pos] == "}":
        raise CheckError(lineno, "ikeharness: empty label set '{}'")
    while True:
        m = LABEL_RE.match(line, pos)
        if not m:
            raise CheckError(lineno, "bad label name at column %d" % (pos + 1))
        name = m.group(0)
        if name.startswith("__"):
            raise CheckError(lineno, "label name %r is reserved (starts with '__')" % name)
        if name in labels:
            raise CheckError(lineno, "label %r appears twice" % name)
        pos = m.end()
        if line[pos:pos + 2] != '="':
            raise CheckError(lineno, "expected '=\"' after label %r" % name)
        pos += 2
        start = pos
        while pos < len(line) and line[pos] != '"':
            pos += 2 if line[pos] == "\\" else 1
        if pos >= len(line):
            raise CheckError(lineno, "unterminated value of label %r" % name)
        labels[name] = unescape(line[start:pos], '\\"n', lineno, "label value")
        order.append(name)
        pos += 1
        if pos < len(line) and line[pos] == ",":
            pos += 1
            if pos < len(line) and line[pos] == "}":
                raise CheckError(lineno, "ikeharness: trailing comma in label set")
            continue
        if pos < len(line) and line[pos] == "}":
            return labels, pos + 1
        raise CheckError(lineno, "expected ',' or '}' after label %r" % name)


def parse_sample(line, lineno):
    """Returns (name, labels dict, integer value)."""
    m = NAME_RE.match(line)
    if not m:
        raise CheckError(lineno, "bad metric name at the start of the line")
    name = m.group(0)
    pos = m.end()
    labels = {}
    if pos < len(line) and line[pos] == "{":
        labels, pos = parse_labels(line, pos, lineno)
    if pos >= len(line) or line[pos] not in " \t":
        raise CheckError(lineno, "expected a blank and a value after %r" % name)
    rest = line[pos + 1:]
    if line[pos] != " " or rest.startswith((" ", "\t")):
        raise CheckError(lineno, "ikeharness: tokens are separated by one space")
    parts = rest.split(" ")
    if len(parts) > 1:
        raise CheckError(lineno, "ikeharness: unexpected text after the value "
                         "(timestamps are not written)")
    if not INT_RE.match(parts[0]):
        raise CheckError(lineno, "ikeharness: value %r is not an integer" % parts[0])
    return name, labels, int(parts[0])


def le_bound(text, lineno):
    if text == "+Inf":
        return float("inf")
    if not INT_RE.match(text):
        raise CheckError(lineno, "ikeharness: le=%r is not an integer or +Inf" % text)
    return int(text)


def label_key(labels):
    return tuple(sorted(labels.items()))


class Family:
    def __init__(self, name, lineno):
        self.name = name
        self.lineno = lineno
        self.help = None
        self.type = None
        self.samples = []  # (lineno, sample name, labels, value)

    def sample_kind(self, sname):
        """The sample's suffix role in this family, or None when it does not belong."""
        if self.type == "histogram":
            for suffix in ("_bucket", "_sum", "_count"):
                if sname == self.name + suffix:
                    return suffix
            return None
        if self.type == "summary":
            for suffix in ("_sum", "_count"):
                if sname == self.name + suffix:
                    return suffix
        return "" if sname == self.name else None


def check_family_samples(fam):
    """Whole-family checks, run when the family ends."""
    if fam.type == "histogram":
        check_histogram(fam)
        return
    prev = None
    for lineno, _sname, labels, _value in fam.samples:
        key = label_key(labels)
        if fam.type != "summary" and prev is not None and key <= prev:
            raise CheckError(lineno, "ikeharness: series of %s not sorted by label set" % fam.name)
        prev = key


def check_histogram(fam):
    groups = {}
    order = []
    for lineno, sname, labels, value in fam.samples:
        kind = fam.sample_kind(sname)
        base = dict(labels)
        if kind == "_bucket":
            if "le" not in labels:
                raise CheckError(lineno, "histogram bucket without an le label")
            del base["le"]
        elif "le" in labels:
            raise CheckError(lineno, "le label on %s" % sname)
        key = label_key(base)
        if key not in groups:
            if order and key <= order[-1]:
                raise CheckError(lineno, "ikeharness: histogram label sets of %s not "
                                 "contiguous and sorted" % fam.name)
            groups[key] = {"buckets": [], "sum": None, "count": None, "line": lineno}
            order.append(key)
        elif key != order[-1]:
            raise CheckError(lineno, "ikeharness: histogram label sets of %s interleaved" % fam.name)
        g = groups[key]
        if kind == "_bucket":
            if g["sum"] is not None or g["count"] is not None:
                raise CheckError(lineno, "ikeharness: bucket after _sum/_count")
            bound = le_bound(labels["le"], lineno)
            if g["buckets"]:
                pbound, pcount, _ = g["buckets"][-1]
                if bound <= pbound:
                    raise CheckError(lineno, "bucket bounds not strictly increasing (le=%s)"
                                     % labels["le"])
                if value < pcount:
                    raise CheckError(lineno, "bucket counts not cumulative: le=%s has %d, "
                                     "below %d" % (labels["le"], value, pcount))
            if value < 0:
                raise CheckError(lineno, "negative bucket count")
            g["buckets"].append((bound, value, lineno))
        elif kind == "_sum":
            if g["sum"] is not None:
                raise CheckError(lineno, "_sum twice")
            if g["count"] is not None:
                raise CheckError(lineno, "ikeharness: _sum after _count")
            g["sum"] = value
        else:
            if g["count"] is not None:
                raise CheckError(lineno, "_count twice")
            if value < 0:
                raise CheckError(lineno, "negative _count")
            g["count"] = value
    for key in order:
        g = groups[key]
        where = "%s%s" % (fam.name, dict(key) if key else "")
        if not g["buckets"] or g["buckets"][-1][0] != float("inf"):
            raise CheckError(g["line"], "histogram %s has no le=\"+Inf\" bucket" % where)
        if g["sum"] is None:
            raise CheckError(g["line"], "histogram %s has no _sum" % where)
        if g["count"] is None:
            raise CheckError(g["line"], "histogram %s has no _count" % where)
        if g["count"] != g["buckets"][-1][1]:
            raise CheckError(g["line"], "histogram %s: +Inf bucket %d != _count %d"
                             % (where, g["buckets"][-1][1], g["count"]))


class Checker:
    def __init__(self):
        self.fam = None
        self.closed = set()      # families that ended
        self.owner = {}          # sample name -> family name
        self.series = set()
        self.last_name = None
        self.nfam = 0
        self.nsamples = 0

    def end_family(self):
        if self.fam is None:
            return
        if self.fam.type is None:
            raise CheckError(self.fam.lineno, "ikeharness: family %s has no # TYPE" % self.fam.name)
        check_family_samples(self.fam)
        self.closed.add(self.fam.name)
        self.fam = None

    def start_family(self, name, lineno):
        if name in self.closed:
            raise CheckError(lineno, "family %s appears again (its lines must be grouped)" % name)
        self.end_family()
        if self.last_name is not None and name <= self.last_name:
            raise CheckError(lineno, "ikeharness: family %s is not in sorted order (after %s)"
                             % (name, self.last_name))
        self.last_name = name
        self.fam = Family(name, lineno)
        self.nfam += 1

    def comment(self, line, lineno):
        if line.startswith("# HELP "):
            rest = line[len("# HELP "):]
            name, sep, text = rest.partition(" ")
            if not NAME_RE.fullmatch(name):
                raise CheckError(lineno, "bad metric name %r in # HELP" % name)
            if not sep or not text:
                raise CheckError(lineno, "ikeharness: # HELP %s has no text" % name)
            unescape(text, "\\n", lineno, "HELP text")
            if self.fam is not None and self.fam.name == name:
                if self.fam.help is not None:
                    raise CheckError(lineno, "second # HELP for %s" % name)
                if self.fam.samples:
                    raise CheckError(lineno, "# HELP for %s after its samples" % name)
            self.start_family(name, lineno)
            self.fam.help = text
        elif line.startswith("# TYPE "):
            parts = line[len("# TYPE "):].split(" ")
            if len(parts) != 2 or not NAME_RE.fullmatch(parts[0]):
                raise CheckError(lineno, "malformed # TYPE line")
            name, typ = parts
            if typ not in TYPES:
                raise CheckError(lineno, "unknown metric type %r" % typ)
            if self.fam is None or self.fam.name != name:
                raise CheckError(lineno, "ikeharness: # TYPE %s does not follow its # HELP" % name)
            if self.fam.type is not None:
                raise CheckError(lineno, "second # TYPE for %s" % name)
            if self.fam.samples:
                raise CheckError(lineno, "# TYPE for %s after its samples" % name)
            if typ == "counter" and not name.endswith("_total"):
                raise CheckError(lineno, "ikeharness: counter %s does not end in _total" % name)
            self.fam.type = typ
        else:
            raise CheckError(lineno, "ikeharness: comment that is not # HELP or # TYPE")

    def sample(self, line, lineno):
        sname, labels, value = parse_sample(line, lineno)
        fam = self.fam
        kind = fam.sample_kind(sname) if fam is not None and fam.type is not None else None
        if kind is None:
            owner = self.owner.get(sname)
            if owner is not None and owner in self.closed:
                raise CheckError(lineno, "sample %s of family %s outside its group" % (sname, owner))
            if fam is not None and fam.type is None:
                raise CheckError(lineno, "ikeharness: sample before # TYPE of %s" % fam.name)
            raise CheckError(lineno, "ikeharness: sample %s has no # HELP / # TYPE" % sname)
        if self.owner.setdefault(sname, fam.name) != fam.name:
            raise CheckError(lineno, "sample name %s already belongs to family %s"
                             % (sname, self.owner[sname]))
        if "le" in labels and kind != "_bucket":
            raise CheckError(lineno, "le label outside a histogram bucket")
        if "quantile" in labels and not (fam.type == "summary" and kind == ""):
            raise CheckError(lineno, "quantile label outside a summary")
        if fam.type == "counter" and value < 0:
            raise CheckError(lineno, "negative counter value")
        key = (sname, label_key(labels))
        if key in self.series:
            raise CheckError(lineno, "duplicate series %s%s" % (sname, dict(labels)))
        self.series.add(key)
        fam.samples.append((lineno, sname, labels, value))
        self.nsamples += 1

    def run(self, data):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise CheckError(0, "not UTF-8 (%s)" % e.reason)
        if not text:
            raise CheckError(0, "empty input")
        if "\r" in text:
            raise CheckError(text[:text.index("\r")].count("\n") + 1, "carriage return in text")
        if not text.endswith("\n"):
            raise CheckError(text.count("\n") + 1, "last line does not end in \\n")
        for lineno, line in enumerate(text[:-1].split("\n"), 1):
            if line == "":
                raise CheckError(lineno, "ikeharness: blank line")
            if line.startswith("#"):
                self.comment(line, lineno)
            else:
                self.sample(line, lineno)
        self.end_family()


def check_file(path):
    """Check one file; returns 0, 1 (a problem, reported) or 2 (unreadable)."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as f:
                data = f.read()
    except OSError as e:
        sys.stderr.write("promcheck: %s: %s\n" % (path, e.strerror))
        return 2
    try:
        Checker().run(data)
    except CheckError as e:
        where = "%s:%d" % (path, e.lineno) if e.lineno else path
        sys.stderr.write("promcheck: %s: %s\n" % (where, e.msg))
        return 1
    return 0


def main(argv):
    if len(argv) < 2:
        sys.stderr.write("usage: promcheck.py FILE...\n")
        return 2
    worst = 0
    for path in argv[1:]:
        rc = check_file(path)
        worst = max(worst, rc)
    return worst


if __name__ == "__main__":
    sys.exit(main(sys.argv))
