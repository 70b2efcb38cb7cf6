# Sourced by ./nerve and spark/bin/cluster.sh (with $here set to the repository): the JVM options
# and class path that run Apache Spark from the jars Maven fetched for the spark module. There is
# no Spark distribution to download: Maven's jars are the distribution.

# What Spark 4 needs opened on Java 17+ (as its own launcher passes them).
spark_opens="-XX:+IgnoreUnrecognizedVMOptions --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false
  -Dio.netty.tryReflectionSetAccessible=true"

# Spark's jars, as Maven resolved them for the spark module (provided scope), as one class path:
# every build of the module writes spark/target/spark.classpath; if it is missing, or names a jar
# that is gone from the Maven repository, the build that ./nerve runs writes it again.
spark_classpath() {
  local cpfile="$here/spark/target/spark.classpath" first
  first="$(cut -d: -f1 "$cpfile" 2>/dev/null)"
  if [ ! -s "$cpfile" ] || [ ! -f "$first" ]; then
    echo "nerve: resolving Spark's jars with Maven (a few minutes the first time)..." >&2
    if ! log=$(cd "$here" && mvn -q -B -DskipTests -pl cli -am install 2>&1); then
      printf '%s\n' "$log" | sed 's/\x1b\[[0-9;]*m//g' >&2
      return 1
    fi
  fi
  [ -s "$cpfile" ] || { echo "nerve: Maven wrote no $cpfile" >&2; return 1; }
  cat "$cpfile"
}
