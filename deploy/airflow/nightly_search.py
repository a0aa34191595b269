"""Tonight's Galapagos search, every night, with Airflow's SparkSubmitOperator.

Needs apache-airflow-providers-apache-spark on the scheduler and workers, a Spark 3.5 (Scala 2.12) client
where the task runs, and the Galapagos distribution there (GALAPAGOS_HOME below). The connection
``spark_nightly`` names the cluster (e.g. host ``yarn``, or ``spark://host:7077``, or ``k8s://https://...``).

Galapagos decides what tonight means: ``run CONFIG --nightly PARENT --date {{ ds }}`` runs in
PARENT/<the run's logical date>, warm-started from the newest earlier night that ended, resumes it when an
earlier try of the same run was interrupted (Airflow's retries and "clear" run the same command again), and
does nothing when it has ended. ``--date {{ ds }}`` makes a backfill or a late re-run use its own night, not
the day it happens to run on.
"""
from datetime import datetime, timedelta
import glob
import os

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

GALAPAGOS_HOME = os.environ.get("GALAPAGOS_HOME", "/opt/galapagos")
# the application jar of your Galapagos install, and beside it with --jars every other jar of its lib/ (our modules
# and their dependencies; Spark's own are in lib/spark/), as deploy/submit ships them
APPLICATION = f"{GALAPAGOS_HOME}/lib/galapagos-driver.jar"
JARS = ",".join(jar for jar in sorted(glob.glob(f"{GALAPAGOS_HOME}/lib/*.jar")) if jar != APPLICATION)
CONFIG = "/etc/galapagos/nightly.yaml"  # your search configuration; deploy/nightly.yaml is an example
RUNS = "hdfs:///nas/runs"

with DAG(
    dag_id="galapagos_nightly_search",
    description="Nightly neural-architecture search, warm-started from the previous night",
    schedule="0 1 * * *",
    start_date=datetime(2026, 12, 1),
    catchup=False,
    # two nights never run at once: they would race for the newest earlier night
    max_active_runs=1,
    default_args={
        # a retry resumes the interrupted search: no recorded result is lost or counted twice
        "retries": 3,
        "retry_delay": timedelta(minutes=5),
    },
    tags=["galapagos"],
) as dag:
    SparkSubmitOperator(
        task_id="search",
        conn_id="spark_nightly",
        application=APPLICATION,
        jars=JARS,
        java_class="io.galapagos.driver.cli.GalapagosCli",
        application_args=[
            "run", CONFIG,
            "--nightly", RUNS,
            "--date", "{{ ds }}",
        ],
        conf={
            "spark.executorEnv.OMP_NUM_THREADS": "1",
            "spark.task.cpus": "1",
            "spark.executor.memoryOverhead": "5g",
        },
        driver_memory="2g",
        executor_cores=2,
        executor_memory="3g",
        num_executors=4,
        name="galapagos-nightly-{{ ds }}",
        verbose=False,
    )
