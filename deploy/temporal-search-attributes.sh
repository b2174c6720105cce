#!/bin/sh
# Registers Cadenza's search attributes on a Temporal namespace (worker/temporal/names.ts SEARCH_ATTRIBUTES),
# so executions are findable in Temporal's UI and `temporal workflow list --query 'CadenzaTenant = "main"'`.
# Once per namespace, before the workers start (a worker checks at start and runs without the missing ones).
# Usage: deploy/temporal-search-attributes.sh [namespace]   (the `temporal` CLI's --address/--env apply:
# TEMPORAL_ADDRESS, TEMPORAL_TLS_*, TEMPORAL_API_KEY). On Temporal Cloud use `tcld namespace search-attributes add`.
set -eu
namespace="${1:-${TEMPORAL_NAMESPACE:-default}}"
for pair in CadenzaTenant=Keyword CadenzaNamespace=Keyword CadenzaFlowId=Keyword CadenzaState=Keyword CadenzaLabels=KeywordList; do
  # An attribute registered already is reported by the CLI and skipped.
  temporal operator search-attribute create --namespace "$namespace" --name "${pair%%=*}" --type "${pair#*=}" ||
    echo "(${pair%%=*} not created: see above; already registered is fine)" >&2
done
