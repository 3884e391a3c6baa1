#!/usr/bin/env python3
"""Writes the C++ source that compiles a log list JSON file into ctkit as the default
(ct/log_list_snapshot.h). CMake runs it at build time (CMakeLists.txt, "log list snapshot"):

    scripts/embed-log-list.py LOG_LIST_JSON OUTPUT_CC NAME

NAME is the JSON file's path relative to the repository root, recorded in the output.

The JSON is embedded byte for byte as adjacent raw string literals of at most CHUNK_BYTES each,
split after a newline, which g++ compiles in well under a second. The script refuses input that a
raw string cannot carry unchanged (carriage returns, NUL, invalid UTF-8, the closing delimiter);
tests/ct/log_list_test.cc checks the embedded copy against the file.
"""

import os
import sys

DELIMITER = "ctkit_json"
CHUNK_BYTES = 8192

SOURCE = """\
// GENERATED at build time by scripts/embed-log-list.py from
//   {source}
// Do not edit: the JSON file is the source.

#include "ct/log_list_snapshot.h"

namespace ctkit {{
namespace {{

// {chunks} raw string literals of at most {chunk_bytes} bytes, concatenated by the compiler.
constexpr char kSnapshot[] =
{literals};

static_assert(sizeof(kSnapshot) - 1 == {size});

}}  // namespace

std::string_view LogListSnapshotJson() {{ return {{kSnapshot, sizeof(kSnapshot) - 1}}; }}

std::string_view LogListSnapshotSource() {{ return "{source}"; }}

}}  // namespace ctkit
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


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: embed-log-list.py LOG_LIST_JSON OUTPUT_CC NAME")
    source, output, name = sys.argv[1:]
    with open(source, "rb") as f:
        data = f.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        sys.exit(f"{source}: not UTF-8 ({e})")
    if "\r" in text or "\0" in text:
        sys.exit(f"{source}: contains CR or NUL, which a raw string literal would not keep")
    if ")" + DELIMITER + '"' in text:
        sys.exit(f"{source}: contains the raw string delimiter )" + DELIMITER + '"')
    if '"' in name or "\\" in name:
        sys.exit(f"{name}: a name with quotes or backslashes")
    if len(data) == 0:
        sys.exit(f"{source}: empty")

    chunks = split_chunks(text)
    literals = "\n".join(f'    R"{DELIMITER}({chunk}){DELIMITER}"' for chunk in chunks)
    fields = {
        "source": name,
        "size": len(data),
        "chunks": len(chunks),
        "chunk_bytes": CHUNK_BYTES,
        "literals": literals,
    }
    os.makedirs(os.path.dirname(output) or ".", exist_ok=True)
    with open(output + ".tmp", "w", encoding="utf-8", newline="\n") as f:
        f.write(SOURCE.format(**fields))
    os.replace(output + ".tmp", output)


if __name__ == "__main__":
    main()
