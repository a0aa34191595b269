# Sourced by bin/galapagos and deploy/submit, with $home set to the folder above theirs: where the jars are, in a
# repository after `mvn package` (driver/target) or in the unpacked distribution (lib/, Spark's own jars in lib/spark/).
# Sets app_jar (the jar with our main class), app_jars (the comma-separated jars spark-submit ships beside it with
# --jars: our other jars and our dependencies, not Spark) and classpath (all of them and Spark's, for a JVM started
# without a Spark distribution).
# Exits 2 when neither layout is there.
# shellcheck shell=bash disable=SC2034,SC2154 # $home comes from the sourcing script, which uses what this sets

if [[ -d "$home/lib/spark" ]]; then
  app_jar="$home/lib/galapagos-driver.jar"
  jars=()
  for jar in "$home"/lib/*.jar; do
    if [[ "$jar" != "$app_jar" ]]; then
      jars+=("$jar")
    fi
  done
  app_jars=$(IFS=,; echo "${jars[*]}")
  classpath="$home/lib/*:$home/lib/spark/*"
else
  app_jar="$home/driver/target/galapagos-driver.jar"
  if [[ -f "$home/driver/target/application-jars.txt" ]]; then
    app_jars=$(<"$home/driver/target/application-jars.txt")
  fi
  # driver/target/lib holds Spark too: it is also the SPARK_HOME/jars of the test clusters
  classpath="$app_jar:$home/driver/target/lib/*"
fi
if [[ ! -f "$app_jar" || -z "${app_jars:-}" ]]; then
  echo "$(basename "$0"): not built yet; run: mvn -q -DskipTests package" >&2
  exit 2
fi
