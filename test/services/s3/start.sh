#!/usr/bin/env bash
# A real S3-compatible server for newsark's tests: OpenStack Swift (Debian package
# python3-swift) with its s3api middleware and tempauth, single node, 1 replica,
# every process bound to 127.0.0.1. Started and always stopped by test/services/s3/index.ts.
#
# Usage: start.sh [PORT] [DATA_DIR]
#   PORT      S3 endpoint port (default 9000). The backend account/container/
#             object servers use PORT+1, PORT+2, PORT+3 unless
#             S3_BACKEND_BASE_PORT is set (then BASE, BASE+1, BASE+2).
#   DATA_DIR  all config, data, logs and PID files (default ${TMPDIR:-/tmp}/newsark-s3)
#
# Prints one line on stdout:
#   S3_ENDPOINT=http://127.0.0.1:PORT S3_ACCESS_KEY_ID=test:tester S3_SECRET_ACCESS_KEY=testing
# Everything else goes to stderr or DATA_DIR/log/. Stop with stop.sh DATA_DIR.
#
# Public (anonymous) reads: a bucket made public (S3 ACL public-read, e.g.
# PutBucketAcl/CreateBucket with ACL "public-read") is readable without
# credentials at  http://127.0.0.1:PORT/BUCKET/KEY  (rewritten to the Swift URL
# http://127.0.0.1:PORT/v1/AUTH_test/BUCKET/KEY, which also works).
set -euo pipefail

PORT="${1:-${S3_PORT:-9000}}"
DATA_DIR="${2:-${S3_DATA_DIR:-${TMPDIR:-/tmp}/newsark-s3}}"
BASE="${S3_BACKEND_BASE_PORT:-$((PORT + 1))}"
ACCOUNT_PORT=$BASE; CONTAINER_PORT=$((BASE + 1)); OBJECT_PORT=$((BASE + 2))
ACCESS_KEY="test:tester"      # tempauth: <account>:<user>
SECRET_KEY="testing"
PART_POWER="${S3_PART_POWER:-6}"
PY=/usr/bin/python3   # the Debian interpreter that has python3-swift, not a pyenv/venv one

log() { echo "[s3-server] $*" >&2; }

if ! "$PY" -c 'import swift.common.middleware.s3api' >/dev/null 2>&1; then
  log "python3-swift is not installed (apt-get install python3-swift)"; exit 3
fi

ETC="$DATA_DIR/etc"; RUN="$DATA_DIR/run"; LOG="$DATA_DIR/log"; DEV="$DATA_DIR/srv"
mkdir -p "$ETC" "$RUN" "$LOG" "$DEV/d1"
DATA_DIR="$(cd "$DATA_DIR" && pwd)"; ETC="$DATA_DIR/etc"; RUN="$DATA_DIR/run"; LOG="$DATA_DIR/log"; DEV="$DATA_DIR/srv"

# refuse to double-start on the same data dir
for s in proxy account container object; do
  if [ -f "$RUN/$s.pid" ] && kill -0 "$(cat "$RUN/$s.pid")" 2>/dev/null; then
    log "already running ($s pid $(cat "$RUN/$s.pid")); run stop.sh $DATA_DIR first"; exit 1
  fi
done

# ------------------------------------------------------------------ config --
RUNUSER="$(id -un)"
cat > "$ETC/swift.conf" <<EOF
[swift-hash]
swift_hash_path_prefix = s3testprefix
swift_hash_path_suffix = s3testsuffix
[storage-policy:0]
name = Policy-0
default = yes
EOF

common() {  # $1 = port
  cat <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $1
workers = 0
user = $RUNUSER
swift_dir = $ETC
devices = $DEV
mount_check = false
disable_fallocate = true
log_level = ${S3_LOG_LEVEL:-INFO}
log_address = $RUN/nonexistent-syslog
EOF
}
{ common "$ACCOUNT_PORT"; cat <<EOF
[pipeline:main]
pipeline = account-server
[app:account-server]
use = egg:swift#account
EOF
} > "$ETC/account-server.conf"
{ common "$CONTAINER_PORT"; cat <<EOF
[pipeline:main]
pipeline = container-server
[app:container-server]
use = egg:swift#container
EOF
} > "$ETC/container-server.conf"
{ common "$OBJECT_PORT"; cat <<EOF
[pipeline:main]
pipeline = object-server
[app:object-server]
use = egg:swift#object
EOF
} > "$ETC/object-server.conf"
{ common "$PORT"; cat <<EOF
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats anon_s3_rewrite s3api tempauth copy slo dlo versioned_writes symlink proxy-logging proxy-server
[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
allow_account_management = true
[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:cache]
use = egg:swift#memcache
# no memcached: an empty server list (tempauth only needs the client object)
memcache_servers = ,
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:anon_s3_rewrite]
paste.filter_factory = s3test_anon:filter_factory
account = AUTH_test
[filter:s3api]
use = egg:swift#s3api
location = us-east-1
s3_acl = false
dns_compliant_bucket_names = true
[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = $SECRET_KEY .admin
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
[filter:versioned_writes]
use = egg:swift#versioned_writes
allow_versioned_writes = true
allow_object_versioning = true
[filter:symlink]
use = egg:swift#symlink
EOF
} > "$ETC/proxy-server.conf"

# Anonymous path-style reads: GET/HEAD /bucket/key without any S3 auth is
# rewritten to the Swift URL /v1/AUTH_test/bucket/key (Swift container ACLs,
# i.e. S3 "public-read", then decide).
cat > "$ETC/s3test_anon.py" <<'EOF'
def filter_factory(global_conf, **local_conf):
    account = local_conf.get('account', 'AUTH_test')
    def factory(app):
        def mw(env, start_response):
            path = env.get('PATH_INFO', '')
            qs = env.get('QUERY_STRING', '')
            if (env.get('REQUEST_METHOD') in ('GET', 'HEAD')
                    and 'HTTP_AUTHORIZATION' not in env
                    and 'X-Amz-' not in qs and 'Signature=' not in qs
                    and 'HTTP_X_AUTH_TOKEN' not in env
                    and path.count('/') >= 2 and len(path.split('/', 2)[2]) > 0
                    and not path.startswith(('/v1/', '/auth/', '/info', '/healthcheck'))):
                env['PATH_INFO'] = '/v1/' + account + path
            return app(env, start_response)
        return mw
    return factory
EOF

# launcher: point swift at $ETC/swift.conf (not /etc/swift), build rings, run a server
cat > "$ETC/launch.py" <<'EOF'
import os, sys
etc = sys.argv[2]
sys.path.insert(0, etc)
from swift.common import utils
utils.SWIFT_CONF_FILE = os.path.join(etc, 'swift.conf')
utils.HASH_PATH_PREFIX = utils.HASH_PATH_SUFFIX = b''
utils.validate_configuration()
from swift.common import storage_policy
storage_policy.reload_storage_policies()
if sys.argv[1] == 'rings':
    from swift.common.ring import RingBuilder
    part_power = int(sys.argv[3])
    for name, port in zip(('account', 'container', 'object'), sys.argv[4:7]):
        b = RingBuilder(part_power, 1, 0)
        b.add_dev({'id': 0, 'region': 1, 'zone': 1, 'ip': '127.0.0.1',
                   'port': int(port), 'device': 'd1', 'weight': 1, 'meta': ''})
        b.rebalance()
        b.get_ring().save(os.path.join(etc, name + '.ring.gz'))
        b.save(os.path.join(etc, name + '.builder'))
    sys.exit(0)
from swift.common.wsgi import run_wsgi
server = sys.argv[1]
kw = {}
if server == 'object':
    from swift.obj import server as objserver
    kw['global_conf_callback'] = objserver.global_conf_callback
sys.exit(run_wsgi(os.path.join(etc, server + '-server.conf'),
                  server + '-server', verbose=True, **kw))
EOF

# ports must be free
"$PY" - "$PORT" "$ACCOUNT_PORT" "$CONTAINER_PORT" "$OBJECT_PORT" <<'EOF'
import socket, sys
for p in sys.argv[1:]:
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try: s.bind(('127.0.0.1', int(p)))
    except OSError as e: sys.exit('[s3-server] port %s is not free: %s' % (p, e))
    finally: s.close()
EOF

"$PY" "$ETC/launch.py" rings "$ETC" "$PART_POWER" "$ACCOUNT_PORT" "$CONTAINER_PORT" "$OBJECT_PORT" >&2

# ------------------------------------------------------------------- start --
t0=$(date +%s.%N)
for s in account container object proxy; do
  nohup "$PY" "$ETC/launch.py" "$s" "$ETC" </dev/null >"$LOG/$s.log" 2>&1 &
  echo $! > "$RUN/$s.pid"
done

# wait until every port answers and the proxy healthcheck says OK
if ! "$PY" - "$PORT" "$ACCOUNT_PORT" "$CONTAINER_PORT" "$OBJECT_PORT" "$RUN" <<'EOF'
import os, socket, sys, time, urllib.request
ports, run = sys.argv[1:5], sys.argv[5]
deadline = time.time() + float(os.environ.get('S3_START_TIMEOUT', '60'))
pending = list(ports)
while time.time() < deadline:
    for name in ('proxy', 'account', 'container', 'object'):
        pid = int(open(os.path.join(run, name + '.pid')).read())
        try: os.kill(pid, 0)
        except OSError: sys.exit('[s3-server] %s server died; see log/%s.log' % (name, name))
    for p in list(pending):
        try: socket.create_connection(('127.0.0.1', int(p)), 0.5).close(); pending.remove(p)
        except OSError: pass
    if not pending:
        try:
            if urllib.request.urlopen('http://127.0.0.1:%s/healthcheck' % ports[0], timeout=2).read() == b'OK':
                sys.exit(0)
        except Exception: pass
    time.sleep(0.1)
sys.exit('[s3-server] timed out waiting for ports %s' % pending)
EOF
then
  "$(dirname "$0")/stop.sh" "$DATA_DIR" >&2 || true
  tail -n 20 "$LOG"/*.log >&2 || true
  exit 1
fi
log "started in $("$PY" -c "import time;print(round(time.time()-$t0,2))")s (logs: $LOG)"
echo "S3_ENDPOINT=http://127.0.0.1:$PORT S3_ACCESS_KEY_ID=$ACCESS_KEY S3_SECRET_ACCESS_KEY=$SECRET_KEY"
