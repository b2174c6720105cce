/**
 * The helper libraries scripts import to talk to Kestra (`from kestra import Kestra` in Python,
 * `require("@kestra-io/libs")` in Node), re-implemented here with no dependencies. They print the
 * `::{...}::` lines the runner parses, like Kestra's own `kestra` (PyPI) and `@kestra-io/libs` (npm).
 */

export const PYTHON_KESTRA = `"""Cadenza's stand-in for Kestra's \`kestra\` Python package: outputs, metrics and logs as ::{...}:: lines."""
import json
import logging
import sys
import time


class Kestra:
    _logger = None

    @staticmethod
    def format(map_):
        return "::" + json.dumps(map_, default=str) + "::"

    @staticmethod
    def _send(map_):
        print(Kestra.format(map_), flush=True)

    @staticmethod
    def _metrics(name, type_, value, tags=None):
        Kestra._send({"metrics": [{"name": name, "type": type_, "value": value, "tags": tags or {}}]})

    @staticmethod
    def outputs(map_):
        Kestra._send({"outputs": map_})

    @staticmethod
    def counter(name, value, tags=None):
        Kestra._metrics(name, "counter", value, tags)

    @staticmethod
    def timer(name, duration, tags=None):
        if callable(duration):
            start = time.monotonic()
            duration()
            Kestra._metrics(name, "timer", time.monotonic() - start, tags)
        else:
            Kestra._metrics(name, "timer", duration, tags)

    @staticmethod
    def logger():
        if Kestra._logger is not None:
            return Kestra._logger
        logger = logging.getLogger("Kestra")
        logger.setLevel(logging.DEBUG)
        out = logging.StreamHandler(sys.stdout)
        out.setLevel(logging.DEBUG)
        out.addFilter(lambda record: record.levelno <= logging.INFO)
        out.setFormatter(_JsonFormatter())
        err = logging.StreamHandler(sys.stderr)
        err.setLevel(logging.WARNING)
        err.setFormatter(_JsonFormatter())
        logger.addHandler(out)
        logger.addHandler(err)
        Kestra._logger = logger
        return logger


class _JsonFormatter(logging.Formatter):
    @staticmethod
    def _level(levelno):
        if levelno >= logging.ERROR:
            return "ERROR"
        if levelno >= logging.WARNING:
            return "WARN"
        if levelno >= logging.INFO:
            return "INFO"
        if levelno >= logging.DEBUG:
            return "DEBUG"
        return "TRACE"

    def format(self, record):
        return Kestra.format({"logs": [{"level": self._level(record.levelno), "message": record.getMessage()}]})
`;

export const NODE_KESTRA = `"use strict";
// Cadenza's stand-in for Kestra's @kestra-io/libs: outputs, metrics and logs as ::{...}:: lines.
function Kestra() {}

Kestra.format = (map) => "::" + JSON.stringify(map) + "::";
Kestra._send = (map) => {
  console.log(Kestra.format(map));
};
Kestra._metrics = (name, type, value, tags) => {
  Kestra._send({ metrics: [{ name, type, value, tags: tags || {} }] });
};
Kestra.outputs = (outputs) => {
  Kestra._send({ outputs });
};
Kestra.counter = (name, value, tags) => {
  Kestra._metrics(name, "counter", value, tags);
};
Kestra.timer = (name, duration, tags) => {
  if (typeof duration === "function") {
    const start = Date.now();
    duration(() => Kestra._metrics(name, "timer", (Date.now() - start) / 1000, tags));
  } else {
    Kestra._metrics(name, "timer", duration, tags);
  }
};

const log = (level, stream) => (...message) => {
  const line = Kestra.format({ logs: message.map((value) => ({ level, message: String(value) })) });
  if (stream === "stderr") console.error(line);
  else console.log(line);
};
Kestra.logger = () => ({
  trace: log("TRACE", "stdout"),
  debug: log("DEBUG", "stdout"),
  info: log("INFO", "stdout"),
  warn: log("WARN", "stderr"),
  error: log("ERROR", "stderr"),
});

module.exports = Kestra;
module.exports.default = Kestra;
module.exports.Kestra = Kestra;
`;

export const NODE_KESTRA_PACKAGE = `${JSON.stringify({ name: "@kestra-io/libs", version: "0.0.0-cadenza", main: "index.js" }, null, 2)}\n`;
