#!/bin/sh
# Spark's GPU discovery script (spark.executor.resource.gpu.discoveryScript, or spark.worker.resource.gpu.discoveryScript
# on a standalone worker): prints the GPUs this machine or container sees, in the JSON Spark reads,
#   {"name":"gpu","addresses":["0","1"]}
# A machine without nvidia-smi or without GPUs fails here, and Spark then says so when the executor starts.
set -eu
indices=$(nvidia-smi --query-gpu=index --format=csv,noheader)
addresses=$(printf '%s\n' "$indices" | sed -n 's/^ *\([0-9][0-9]*\) *$/"\1"/p' | paste -sd, -)
if [ -z "$addresses" ]; then
    echo "find-gpus.sh: nvidia-smi lists no GPU" >&2
    exit 1
fi
echo "{\"name\":\"gpu\",\"addresses\":[${addresses}]}"
