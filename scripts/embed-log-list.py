#!/usr/bin/env python3
"""Writes the C++ source that compiles the log list JSON files of the default log list into ctkit
(ct/log_list_snapshot.h). CMake runs it at build time (CMakeLists.txt, "log list snapshot"):

    scripts/embed-log-list.py SOURCE_DIR OUTPUT_CC NAME [NAME...]

Each NAME is a JSON file's path relative to SOURCE_DIR (the repository root), recorded in the
output; ParseSnapshotLogLists (ct/log_list.h) parses them in this order and LogList::Merge merges
them.

Each JSON file is embedded byte for byte as adjacent raw string literals of at most CHUNK_BYTES
each, split after a newline, which g++ compiles in well under a second. The script refuses input
that a raw string cannot carry unchanged (carriage returns, NUL, invalid UTF-8, the closing
delimiter); tests/ct/log_list_test.cc checks each embedded copy against its file.
"""

import os
import sys

DELIMITER = "ctkit_json"
CHUNK_BYTES = 8192

SOURCE = """\
// GENERATED at build time by scripts/embed-log-list.py from
{sources_comment}
// Do not edit: the JSON files are the source.

#include "ct/log_list_snapshot.h"

namespace ctkit {{
namespace {{

{arrays}

constexpr LogListSnapshotFile kFiles[] = {{
{entries}
}};

}}  // namespace

std::span<const LogListSnapshotFile> LogListSnapshotFiles() {{ return kFiles; }}

std::string_view LogListSnapshotSource() {{ return "{source}"; }}

}}  // namespace ctkit
"""

ARRAY = """\
// {source}: {chunks} raw string literals of at most {chunk_bytes} bytes, concatenated by the
// compiler.
constexpr char kSnapshot{index}[] =
{literals};
static_assert(sizeof(kSnapshot{index}) - 1 == {size});
"""


def split_chunks(text):
    """Splits text into pieces of at most CHUNK_BYTES bytes, each ending after a newline where
    possible."""
    chunks = []
    start = 0
    while start < len(text):
        end = min(start + CHUNK_BYTES, len(text))
        if end < len(text):
            newline = text.rfind("\n", start, end)
            if newline > start:
                end = newline + 1
        chunks.append(text[start:end])
        start = end
    return chunks


def embed(source_dir, name, index):
    """The C++ array holding the file NAME, as ARRAY formats it."""
    path = os.path.join(source_dir, name)
    with open(path, "rb") as f:
        data = f.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        sys.exit(f"{path}: not UTF-8 ({e})")
    if "\r" in text or "\0" in text:
        sys.exit(f"{path}: contains CR or NUL, which a raw string literal would not keep")
    if ")" + DELIMITER + '"' in text:
        sys.exit(f"{path}: contains the raw string delimiter )" + DELIMITER + '"')
    if '"' in name or "\\" in name or "\n" in name:
        sys.exit(f"{name}: a name with quotes, backslashes or newlines")
    if len(data) == 0:
        sys.exit(f"{path}: empty")
    chunks = split_chunks(text)
    literals = "\n".join(f'    R"{DELIMITER}({chunk}){DELIMITER}"' for chunk in chunks)
    return ARRAY.format(source=name, chunks=len(chunks), chunk_bytes=CHUNK_BYTES, index=index,
                        literals=literals, size=len(data))


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: embed-log-list.py SOURCE_DIR OUTPUT_CC NAME [NAME...]")
    source_dir, output = sys.argv[1:3]
    names = sys.argv[3:]
    arrays = "\n".join(embed(source_dir, name, i) for i, name in enumerate(names))
    entries = "\n".join(
        f'    {{"{name}", {{kSnapshot{i}, sizeof(kSnapshot{i}) - 1}}}},'
        for i, name in enumerate(names))
    fields = {
        "sources_comment": "\n".join(f"//   {name}" for name in names),
        "arrays": arrays,
        "entries": entries,
        "source": " + ".join(names),
    }
    os.makedirs(os.path.dirname(output) or ".", exist_ok=True)
    with open(output + ".tmp", "w", encoding="utf-8", newline="\n") as f:
        f.write(SOURCE.format(**fields))
    os.replace(output + ".tmp", output)


if __name__ == "__main__":
    main()
