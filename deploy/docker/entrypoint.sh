#!/usr/bin/env bash
# Entrypoint of the Galapagos images. Spark's Kubernetes backend (spark.kubernetes.container.image) starts the driver
# pod as `driver SPARK_SUBMIT_ARGS...` and each executor pod as `executor`, with what they need in the environment
# (SPARK_DRIVER_BIND_ADDRESS; SPARK_DRIVER_URL, SPARK_EXECUTOR_ID, SPARK_EXECUTOR_CORES, SPARK_EXECUTOR_MEMORY,
# SPARK_APPLICATION_ID, SPARK_EXECUTOR_POD_IP, SPARK_RESOURCE_PROFILE_ID, SPARK_JAVA_OPT_<n>). That is the contract
# of Spark 3.5's own kubernetes/dockerfiles/spark/entrypoint.sh; this one keeps it without a Spark distribution's
# bin/ scripts, and puts our jars ($GALAPAGOS_HOME/lib) on every JVM's classpath, so that a submission needs no
# --jars. Any other command runs as given, e.g. `bin/galapagos run conf/quickstart.yaml`.
set -euo pipefail

# Spark's conf folder (Kubernetes mounts spark.properties there) and a Hadoop configuration come first, as in Spark's
# own images
classpath="${SPARK_CONF_DIR:-$SPARK_HOME/conf}:$SPARK_HOME/jars/*:$GALAPAGOS_HOME/lib/*"
if [[ -n "${HADOOP_CONF_DIR:-}" ]]; then
  classpath="$HADOOP_CONF_DIR:$classpath"
fi

# our logging, from GALAPAGOS_HOME: on Kubernetes Spark mounts its own conf folder over $SPARK_HOME/conf; a
# -Dlog4j2.configurationFile in spark.driver/executor.extraJavaOptions comes later and wins
logging="-Dlog4j2.configurationFile=$GALAPAGOS_HOME/conf/log4j2.properties"

# an arbitrary uid (OpenShift) has no passwd entry, so Java's user.home would be "?" whatever HOME says, and
# ND4J could not unpack its native libraries under it; every JVM started here gets HOME instead
if ! getent passwd "$(id -u)" >/dev/null 2>&1; then
  export JAVA_TOOL_OPTIONS="-Duser.home=$HOME${JAVA_TOOL_OPTIONS:+ $JAVA_TOOL_OPTIONS}"
fi

# each pod chooses the OpenBLAS kernels for the CPU of the node it landed on (nodes can differ)
# shellcheck source=bin/openblas-kernels
source "$GALAPAGOS_HOME/bin/openblas-kernels"

case "${1:-}" in
  driver)
    shift
    # as Spark's own images do: spark-submit in client mode inside the driver pod, here the SPARK_HOME's
    # bin/spark-submit that asks Spark's launcher for the command (memory, extraJavaOptions, the Java 17 flags of the
    # properties file Kubernetes mounted); our jars join the driver's classpath through SPARK_DIST_CLASSPATH
    export SPARK_DIST_CLASSPATH="$GALAPAGOS_HOME/lib/*"
    export SPARK_SUBMIT_OPTS="$logging${SPARK_SUBMIT_OPTS:+ $SPARK_SUBMIT_OPTS}"
    command=("$SPARK_HOME/bin/spark-submit" --deploy-mode client --conf "spark.driver.bindAddress=$SPARK_DRIVER_BIND_ADDRESS"
      "$@")
    ;;
  executor)
    shift
    # spark.executor.extraJavaOptions, Spark's module flags among them, one option per variable, in order
    mapfile -t java_opts < <(env | grep '^SPARK_JAVA_OPT_' | sort -t_ -k4 -n | sed 's/^[^=]*=//')
    # spark.executor.extraClassPath arrives as SPARK_CLASSPATH (a user's hadoop-aws jar, say), first as in Spark's images
    command=(java "$logging" "${java_opts[@]}" "-Xms$SPARK_EXECUTOR_MEMORY" "-Xmx$SPARK_EXECUTOR_MEMORY"
      -cp "${SPARK_CLASSPATH:+$SPARK_CLASSPATH:}$classpath"
      org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend
      --driver-url "$SPARK_DRIVER_URL" --executor-id "$SPARK_EXECUTOR_ID" --cores "$SPARK_EXECUTOR_CORES"
      --app-id "$SPARK_APPLICATION_ID" --hostname "$SPARK_EXECUTOR_POD_IP"
      --resourceProfileId "${SPARK_RESOURCE_PROFILE_ID:-0}")
    ;;
  *)
    command=("$@")
    ;;
esac

# tini (in the images) reaps the JVM's children (Hadoop's shell calls) and forwards signals to it
if command -v tini >/dev/null; then
  exec tini -s -- "${command[@]}"
fi
exec "${command[@]}"
