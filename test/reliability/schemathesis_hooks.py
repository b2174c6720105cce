# Custom schemathesis checks for test/reliability/api-fuzz.test.ts, loaded with SCHEMATHESIS_HOOKS.
#   no_stack_trace: no response body carries a stack trace or a source path (errors are `{ message }` only).
#   no_foreign_data: no response to tenant A's token carries any of tenant B's identifiers (flow ids,
#     namespaces, KV keys, secret names and values, execution ids), given as a JSON list in
#     CADENZA_FUZZ_FOREIGN — unless the request itself carried it (the fuzzer also sends B's identifiers,
#     and "No flow <id>" only repeats what the caller sent), or an earlier write of A's that succeeded
#     carried it: A may create its own namespace, secret or KV key under a name B also uses, and then
#     its lists, searches and audit log rightly show it.
import json
import os
import re
import urllib.parse

import schemathesis

FOREIGN = [value for value in json.loads(os.environ.get("CADENZA_FUZZ_FOREIGN", "[]")) if value]

# V8's frames ("    at fn (file:line:col)"), a source or bundle path with a line number, Python's or
# Postgres's own traces.
STACK = re.compile(
    r"\n\s+at [^\n]+[:(]|\bat (?:async )?[\w.<>]+ \([^)]*:\d+:\d+\)|[\w/.-]+\.(?:ts|tsx|js|mjs|cjs):\d+:\d+"
    r"|node_modules/|Traceback \(most recent call last\)"
)


def _text(response):
    try:
        return response.content.decode("utf-8", errors="replace")
    except Exception:  # noqa: BLE001 - a body we cannot read has nothing to check
        return ""


@schemathesis.check
def no_stack_trace(ctx, response, case):
    text = _text(response)
    found = STACK.search(text)
    if found:
        raise AssertionError(f"Stack trace or source path in the response body: {found.group(0)!r}")


# B's identifiers that A's own successful writes used as names: A's data from then on.
ADOPTED: set[str] = set()
READS = {"GET", "HEAD", "OPTIONS"}


@schemathesis.check
def no_foreign_data(ctx, response, case):
    text = _text(response) + "\n" + "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    body = response.request.body or b""
    sent = str(response.request.url) + "\n" + (body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body))
    sent = urllib.parse.unquote_plus(sent) + "\n" + sent
    for value in FOREIGN:
        if value in text and value not in sent and value not in ADOPTED:
            raise AssertionError(f"Another tenant's data in the response: {value!r}")
    if response.request.method not in READS and 200 <= response.status_code < 300:
        ADOPTED.update(value for value in FOREIGN if value in sent)
