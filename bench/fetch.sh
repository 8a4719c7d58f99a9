#!/usr/bin/env bash
# Fetches the systems Eddy is compared against from Maven Central into bench/.cache/<name>/lib.
# Idempotent: a system whose lib folder is complete (marker file present) is not fetched again.
# Usage: bench/fetch.sh [dynamodb-local|elasticmq]...   (default: all)
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "$0")" && pwd)"
CACHE_DIR="$BENCH_DIR/.cache"

# The DynamoDB Local 3.x POM pins AWS SDK modules that the mirror lacks; importing a newer SDK BOM
# overrides them with versions that resolve.
DYNAMODB_LOCAL_VERSION=3.3.1
DYNAMODB_LOCAL_SDK_BOM=2.54.15
ELASTICMQ_VERSION=1.7.1

write_pom() { # $1 = folder, $2 = dependencyManagement block, $3 = dependencies block
  cat > "$1/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>io.eddy.bench</groupId>
  <artifactId>fetch-$(basename "$1")</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencyManagement><dependencies>$2</dependencies></dependencyManagement>
  <dependencies>$3</dependencies>
</project>
POM
}

fetch() { # $1 = name
  local dir="$CACHE_DIR/$1"
  if [[ -f "$dir/lib/.complete" ]]; then
    echo "$1: already in $dir/lib"
    return
  fi
  mkdir -p "$dir"
  rm -rf "$dir/lib"
  case "$1" in
    dynamodb-local)
      write_pom "$dir" \
        "<dependency><groupId>software.amazon.awssdk</groupId><artifactId>bom</artifactId><version>$DYNAMODB_LOCAL_SDK_BOM</version><type>pom</type><scope>import</scope></dependency>" \
        "<dependency><groupId>software.amazon.dynamodb</groupId><artifactId>DynamoDBLocal</artifactId><version>$DYNAMODB_LOCAL_VERSION</version></dependency>"
      ;;
    elasticmq)
      write_pom "$dir" "" \
        "<dependency><groupId>org.elasticmq</groupId><artifactId>elasticmq-server_2.13</artifactId><version>$ELASTICMQ_VERSION</version></dependency>"
      ;;
    *) echo "unknown system: $1" >&2; exit 2 ;;
  esac
  echo "$1: fetching into $dir/lib"
  mvn -q -f "$dir/pom.xml" dependency:copy-dependencies -DoutputDirectory="$dir/lib" -DincludeScope=runtime
  touch "$dir/lib/.complete"
}

if [[ $# -eq 0 ]]; then set -- dynamodb-local elasticmq; fi
for system in "$@"; do fetch "$system"; done
