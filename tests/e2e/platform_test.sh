#!/usr/bin/env bash
# The local platform comes up the way `make run` brings it up: every service
# ready on its admin port, nginx routing by host, and a clean stop on SIGTERM.
source "$(dirname "$0")/lib.sh"

platform_start || { echo "0 passed, 1 failed"; exit 1; }

for pair in auth:$MARINA_AUTH_ADMIN_PORT tenants:$MARINA_TENANTS_ADMIN_PORT billing:$MARINA_BILLING_ADMIN_PORT \
            relay-query:$MARINA_RELAY_QUERY_ADMIN_PORT relay-ingest:$MARINA_RELAY_INGEST_ADMIN_PORT; do
  svc="${pair%%:*}"; port="${pair##*:}"
  check "$svc /readyz is 200 with postgres and redis checks" \
    bash -c "body=\$(curl -fsS http://127.0.0.1:$port/readyz) && grep -q postgres <<<\"\$body\" && grep -q redis <<<\"\$body\""
  check "$svc /healthz is 200" curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz"
  check "$svc /metrics is Prometheus text" \
    bash -c "curl -fsS -D - -o /dev/null http://127.0.0.1:$port/metrics | grep -qi 'content-type: text/plain; version=0.0.4'"
done

api_health=$(curl -fsS -H "Host: api.localhost" "http://127.0.0.1:$HTTP_PORT/healthz")
check "nginx routes api.localhost to tenants" grep -q '"service":"tenants"' <<<"$api_health"
relay_health=$(curl -fsS -H "Host: anything.$RELAY_DOMAIN" "http://127.0.0.1:$HTTP_PORT/healthz")
check "nginx routes *.relay.localhost to relay-query" grep -q '"service":"relay-query"' <<<"$relay_health"
check "nothing listens beyond 127.0.0.1" bash -c "! ss -ltnH | awk '{print \$4}' | grep -E ':($HTTP_PORT|$MARINA_AUTH_PORT|$MARINA_TENANTS_PORT|$MARINA_RELAY_QUERY_PORT|$MARINA_PG_PORT|$MARINA_REDIS_PORT)\$' | grep -v '^127.0.0.1:'"

platform_stop; rc=$?
check "SIGTERM stops the platform with exit 0" test "$rc" -eq 0
all_ports="$HTTP_PORT|$MARINA_PG_PORT|$MARINA_REDIS_PORT|$MARINA_AUTH_PORT|$MARINA_TENANTS_PORT|$MARINA_BILLING_PORT|$MARINA_RELAY_QUERY_PORT|$MARINA_AUTH_ADMIN_PORT|$MARINA_TENANTS_ADMIN_PORT|$MARINA_BILLING_ADMIN_PORT|$MARINA_RELAY_QUERY_ADMIN_PORT|$MARINA_RELAY_INGEST_ADMIN_PORT"
check "every listener is closed after stop" bash -c "! ss -ltnH | awk '{print \$4}' | grep -qE ':($all_ports)\$'"
finish
