#!/usr/bin/env python3
"""The symbol ordering list of the release link, from a profile (scripts/symbol-order.sh).

  symbol-order.py MAP NM LARGE LACKEY CALLGRIND...

MAP is lld's -Map of the profiled binary, NM its `nm --defined-only --print-size`, LACKEY the log of
`valgrind --tool=lackey --trace-mem=yes`, CALLGRIND the callgrind output files. Prints
one symbol a line: the functions the profiles ran, then one symbol of each data section
the lackey run touched; those in input sections of more than LARGE bytes last.
"""
import bisect
import re
import sys

map_path, nm_path, large, lackey, profiles = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5:]

# The input sections of the map ("VMA LMA Size Align Out In Symbol": an output section's
# name follows the Align column, an input section's "file:(section)" is indented 8 more,
# a symbol 16 more).
sections = []  # (address, size, output section)
output = None
for line in open(map_path):
    m = re.match(r"\s*([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)\s+\d+ ( *)(.*)$", line)
    if not m:
        continue
    address, size, depth, name = int(m.group(1), 16), int(m.group(2), 16), len(m.group(3)), m.group(4)
    if depth == 0:
        output = name
    elif depth == 8 and size and address:
        sections.append((address, size, output))
sections.sort()
starts = [s[0] for s in sections]


def section_of(address):
    i = bisect.bisect_right(starts, address) - 1
    return i if i >= 0 and address < sections[i][0] + sections[i][1] else None


# Symbols by address: nm also sees the static functions and variables the map leaves out.
symbols = []  # (address, name, nm's type letter, size)
address_of = {}
for line in open(nm_path):
    fields = line.split()
    if len(fields) == 4:
        address, size, kind, name = int(fields[0], 16), int(fields[1], 16), fields[2], fields[3]
    elif len(fields) == 3:
        address, size, kind, name = int(fields[0], 16), 0, fields[1], fields[2]
    else:
        continue
    symbols.append((address, name, kind, size))
    address_of.setdefault(name, address)
symbols.sort()
symbol_starts = [s[0] for s in symbols]

# Functions the callgrind runs ran (a wrong code's and --version's paths too), sorted
# by name so that the list does not change when nothing did. Callgrind's names are
# compressed: "ob=(n) name" and "fn=(n) name" define, "(n)" alone refers back; costs
# follow the fn= line of the current object.
functions_run = []
for path in profiles:
    objects, functions, current = {}, {}, None
    for line in open(path, errors="replace"):
        m = re.match(r"(c?ob|c?fn)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
        if not m:
            continue
        kind, ident, name = m.groups()
        table = objects if kind.endswith("ob") else functions
        if name is not None:
            table[ident] = name
        if kind == "ob":
            current = objects[ident]
        elif kind == "fn" and current and current.endswith("/mfactl"):
            functions_run.append(functions[ident].split("'")[0])  # 'N: recursion depth

# The lackey run, in the order things happen: the functions whose code it fetched (from
# its "I" lines, by address) and the input sections of the variables and constants it
# loaded from or stored to, each section named by its first symbol. Not the swift5_*
# metadata lists or .init_array: the runtime and the loader walk those whole, and their
# order is theirs.
DATA = (".data", ".bss", ".rodata", ".data.rel.ro")
# Code by address: functions with a size, the first name of those at one address (the
# aliases of merged functions), so that the list is the same from one layout to the next.
# Code without a symbol (LLVM's merged-function bodies, .L__unnamed_N) is left out.
code = sorted({a: (n, size) for a, n, kind, size in reversed(symbols) if kind in "tTwW" and size}.items())
code_starts = [a for a, _ in code]
functions_first, data_touched = [], []
seen_functions, seen_sections = set(), set()
for line in open(lackey):
    m = re.match(r"(I | [LSM]) ([0-9a-f]+),", line)
    if not m:
        continue
    address = int(m.group(2), 16)
    if m.group(1) == "I ":
        j = bisect.bisect_right(code_starts, address) - 1
        if j >= 0 and address < code[j][0] + code[j][1][1] and code[j][1][0] not in seen_functions:
            seen_functions.add(code[j][1][0])
            functions_first.append(code[j][1][0])
        continue
    i = section_of(address)
    if i is None or i in seen_sections or sections[i][2] not in DATA:
        continue
    seen_sections.add(i)
    j = bisect.bisect_left(symbol_starts, sections[i][0])
    if j < len(symbols) and symbols[j][0] < sections[i][0] + sections[i][1]:
        data_touched.append(symbols[j][1])

# Small sections first, in order; symbols of large sections (which lld can only move
# whole) after them, so that they do not split the dense part.
printed, small, big = set(), [], []
for name in functions_first + sorted(set(functions_run)) + data_touched:
    i = section_of(address_of[name]) if name in address_of else None
    if name in printed or i is None:
        continue
    printed.add(name)
    (small if sections[i][1] <= large else big).append(name)
print("\n".join(small + big))
