# Sourced by Parley's scripts: finds a JDK >= 21 and exports JAVA_HOME, so that ./mvnw (Maven 3.9 + Tycho)
# works on machines whose default java is older.
parley_java_major() { # $1 = java executable
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1
}

parley_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(parley_java_major "$candidate/bin/java")
    case "$major" in ''|1.*) continue ;; esac
    if [ "$major" -ge 21 ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if ! PARLEY_JDK=$(parley_find_jdk); then
  echo "Parley needs a JDK 21 or newer (for Tycho and the Java 21 language level), and found none." >&2
  echo "Install one, for example: sudo apt-get install openjdk-21-jdk-headless (or Temurin 21/25)," >&2
  echo "or point JAVA_HOME at it." >&2
  exit 1
fi
export JAVA_HOME="$PARLEY_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
