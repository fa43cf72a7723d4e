"""One local SparkSession for every generated Spark script (start-up is the slow part)."""

from __future__ import annotations

import os
import threading


def session():
    os.environ.setdefault("PYSPARK_PYTHON", os.sys.executable)
    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master("local[2]").appName("shoplens-sql-check")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.ui.enabled", "false")
            # No progress bars: they fill the CI log with carriage-returned stage lines.
            .config("spark.ui.showConsoleProgress", "false")
            # One partition a shuffle, no broadcast joins and no constraint propagation: the files are
            # kilobytes, so every task, broadcast job and inferred filter is overhead. Measured on the
            # cohorts, KPI series, action list and funnel scripts (warm session, run phase):
            # 1.45, 1.32, 2.33, 3.35 s with two partitions and broadcasts; 0.52, 0.26, 1.44, 1.92 s.
            .config("spark.sql.shuffle.partitions", "1")
            .config("spark.sql.autoBroadcastJoinThreshold", "-1")
            .config("spark.sql.constraintPropagation.enabled", "false")
            .config("spark.sql.optimizer.dynamicPartitionPruning.enabled", "false")
            .config("spark.sql.optimizer.runtime.bloomFilter.enabled", "false")
            # Planning a script holds its whole expression tree (Spark inlines a shared step at every
            # reference): two of the larger plans at once ran 1 GiB out of memory.
            .config("spark.driver.memory", "4g")
            # The scripts are a few large expressions over small files: compiling them to Java
            # (whole-stage code generation) took 80 s of a 95 s query; interpreted, 13 s.
            .config("spark.sql.codegen.factoryMode", "NO_CODEGEN")
            .config("spark.sql.codegen.wholeStage", "false")
            # Kilobyte files: re-planning between stages costs more than it saves.
            .config("spark.sql.adaptive.enabled", "false")
            .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    return spark


# The session's catalog of temporary views is shared by the scripts run two at a time: each
# script's `CREATE OR REPLACE TEMPORARY VIEW` statements run one script at a time, the queries
# together.
_CATALOG = threading.Lock()


def run_spark(spark, script: str) -> list[dict]:
    """Run a script's statements in order (the temporary views, then the query); the rows of the last."""
    statements = [s.strip() for s in script.split(";\n") if s.strip()]
    with _CATALOG:
        for s in statements[:-1]:
            spark.sql(s)
    return [r.asDict() for r in spark.sql(statements[-1]).collect()]
