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

# Spark's jars, as Maven resolved them for the spark module (provided scope), one class path.
spark_classpath() {
  local cpfile="$here/spark/target/spark.classpath"
  if [ ! -s "$cpfile" ] || [ "$here/pom.xml" -nt "$cpfile" ] || [ "$here/spark/pom.xml" -nt "$cpfile" ]; then
    if ! log=$(cd "$here" && mvn -q -B dependency:build-classpath -pl spark \
        -Dmdep.includeScope=provided -Dmdep.outputFile="$cpfile" 2>&1); then
      printf '%s\n' "$log" | sed 's/\x1b\[[0-9;]*m//g' >&2
      echo "nerve: could not resolve Spark's jars with Maven" >&2
      exit 1
    fi
  fi
  cat "$cpfile"
}

