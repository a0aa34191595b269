#!/usr/bin/env bash
# Lays out the unpacked distribution DIST in an image whose root is ROOT (/ in the Dockerfiles, a folder in
# ContainerImageIT): Spark's jars (lib/spark/) as $SPARK_HOME/jars, where Spark's launcher and the entrypoint look for
# them, with a bin/spark-submit that runs Spark's launcher, and the rest as $GALAPAGOS_HOME, whose lib/spark points to $SPARK_HOME/jars so that bin/galapagos runs too.
#   usage: install.sh DIST [ROOT]
set -euo pipefail

dist="$1"
root="${2:-/}"
spark="$root/opt/spark"
galapagos="$root/opt/galapagos"

mkdir -p "$spark/conf" "$spark/bin" "$galapagos/lib"
cp -r "$dist/lib/spark" "$spark/jars"
cp "$dist/deploy/spark-home/bin/spark-submit" "$spark/bin/"
# the GPU discovery script the deploy README's GPU settings name
cp "$dist/deploy/docker/find-gpus.sh" "$spark/bin/"
chmod 0755 "$spark/bin/find-gpus.sh"
cp "$dist"/lib/*.jar "$galapagos/lib/"
ln -s ../../spark/jars "$galapagos/lib/spark"
cp -r "$dist/bin" "$dist/conf" "$dist/data" "$dist/benchmarks" "$dist/licenses" "$dist/README.md" "$galapagos/"
# Spark's own logging in the pods as bin/galapagos configures it
cp "$dist/conf/log4j2.properties" "$spark/conf/"
cp "$dist/deploy/docker/entrypoint.sh" "$root/opt/entrypoint.sh"
chmod 0755 "$root/opt/entrypoint.sh"
