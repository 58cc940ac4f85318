# shellcheck shell=bash
# Shared by setup/run and setup/test: find Odoo 19, build the project
# virtualenv, reach PostgreSQL. Source it; every function fails with one
# clear paragraph and a non-zero exit, and creates nothing before it knows
# it can finish.

CCARE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CCARE_CONF=${CCARE_CONF:-$CCARE_ROOT/odoo.conf}
CCARE_VENV=${CCARE_VENV:-$CCARE_ROOT/.venv}
CCARE_LOCAL=${CCARE_LOCAL:-$CCARE_ROOT/.local}
CCARE_PYTHON=${CCARE_PYTHON:-python3}
# Every addon of addons/, one per concern, but the bridges to apps that are
# not installed by default (setup/test installs those after the others).
CCARE_LATE_BRIDGES=${CCARE_LATE_BRIDGES:-crm_customer_care_mass_mailing}
ccare_modules() {
    local dir name list=
    for dir in "$CCARE_ROOT"/addons/*/__manifest__.py; do
        name=$(basename "$(dirname "$dir")")
        [[ ",$CCARE_LATE_BRIDGES," == *",$name,"* ]] || list=${list:+$list,}$name
    done
    echo "$list"
}
CCARE_MODULES=${CCARE_MODULES:-$(ccare_modules)}
CCARE_ODOO_GIT_URL=${CCARE_ODOO_GIT_URL:-https://github.com/odoo/odoo.git}
# Where an Odoo 19 source tree is looked for when ODOO_SRC is not set.
CCARE_ODOO_SEARCH_PATH=${CCARE_ODOO_SEARCH_PATH:-$CCARE_ROOT/../odoo-19.0:$CCARE_ROOT/../odoo:$HOME/odoo-19.0:$HOME/src/odoo-19.0:/opt/odoo-19.0:/opt/odoo:/usr/src/odoo-19.0:/srv/odoo-19.0:$CCARE_LOCAL/odoo-19.0}

ccare_say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

ccare_die() {
    printf '\n\033[1;31mSetup stopped:\033[0m %s\n\n' "$*" | fold -s -w 100 >&2
    exit 2
}

# Read a key of a section of odoo.conf ("options" by default).
ccare_conf_get() {
    local key=$1 section=${2:-options}
    [ -f "$CCARE_CONF" ] || return 0
    awk -F '=' -v key="$key" -v section="[$section]" '
        /^\[/ { insection = ($0 == section) }
        insection && $1 ~ "^[ \t]*" key "[ \t]*$" {
            sub(/^[^=]*=[ \t]*/, ""); sub(/[ \t]*$/, ""); print; exit
        }' "$CCARE_CONF"
}

# Print "major" of the Odoo source tree at $1, or nothing if it is none.
ccare_odoo_major() {
    local release=$1/odoo/release.py
    [ -f "$release" ] && [ -f "$1/setup.py" ] || return 0
    sed -n 's/^version_info = (\([0-9]*\),.*/\1/p' "$release" | head -n 1
}

# Odoo importable from the project virtualenv: print its source root.
ccare_venv_odoo_root() {
    [ -x "$CCARE_VENV/bin/python" ] || return 0
    "$CCARE_VENV/bin/python" - <<'PY' 2>/dev/null || true
import os, odoo.release as r
if r.version_info[0] == 19:
    print(os.path.dirname(os.path.dirname(os.path.abspath(r.__file__))))
PY
}

ccare_no_odoo_message() {
    cat <<EOF
no Odoo 19.0 source tree was found, and cloning it from $CCARE_ODOO_GIT_URL failed (no internet?). Provide one in any of these ways: set ODOO_SRC=/path/to/odoo-19.0 (a checkout of the official 19.0 branch, with odoo-bin and setup.py); or put it at one of the searched places (${CCARE_ODOO_SEARCH_PATH//:/, }); or name it in odoo.conf under [setup] as odoo_src = /path/to/odoo-19.0; or give this machine internet access so setup can run 'git clone --depth 1 --branch 19.0 $CCARE_ODOO_GIT_URL'. Nothing was created.
EOF
}

# Find the Odoo 19 source tree; print its path on stdout.
ccare_find_odoo() {
    local candidate major
    if [ -n "${ODOO_SRC:-}" ]; then
        major=$(ccare_odoo_major "$ODOO_SRC")
        [ -n "$major" ] || ccare_die "ODOO_SRC=$ODOO_SRC is not an Odoo source tree (no odoo/release.py and setup.py there). Point ODOO_SRC at a checkout of Odoo's 19.0 branch, or unset it to let setup search for one. Nothing was created."
        [ "$major" = 19 ] || ccare_die "ODOO_SRC=$ODOO_SRC holds Odoo $major.0, but these addons need Odoo 19.0. Point ODOO_SRC at a checkout of Odoo's 19.0 branch (git clone --depth 1 --branch 19.0 $CCARE_ODOO_GIT_URL). Nothing was created."
        (cd "$ODOO_SRC" && pwd)
        return
    fi
    candidate=$(ccare_venv_odoo_root)
    if [ -n "$candidate" ] && [ "$(ccare_odoo_major "$candidate")" = 19 ]; then
        echo "$candidate"
        return
    fi
    candidate=$(ccare_conf_get odoo_src setup)
    if [ -n "$candidate" ]; then
        [ "${candidate:0:1}" = / ] || candidate=$CCARE_ROOT/$candidate
        major=$(ccare_odoo_major "$candidate")
        [ "$major" = 19 ] || ccare_die "odoo.conf names odoo_src = $candidate, but there is no Odoo 19.0 source tree there (found: ${major:-nothing}). Fix or remove that line. Nothing was created."
        (cd "$candidate" && pwd)
        return
    fi
    local IFS=:
    for candidate in $CCARE_ODOO_SEARCH_PATH; do
        [ -n "$candidate" ] || continue
        if [ "$(ccare_odoo_major "$candidate")" = 19 ]; then
            (cd "$candidate" && pwd)
            return
        fi
    done
    unset IFS
    # Last resort, what users with internet get: the official 19.0 branch,
    # cloned aside and moved in place only once complete.
    local target=$CCARE_LOCAL/odoo-19.0 tmp
    command -v git >/dev/null || ccare_die "$(ccare_no_odoo_message)"
    ccare_say "no Odoo 19.0 found; cloning the official 19.0 branch into $target (about 1 GB)"
    mkdir -p "$CCARE_LOCAL"
    tmp=$(mktemp -d "$CCARE_LOCAL/odoo-clone.XXXXXX")
    if git clone --quiet --depth 1 --branch 19.0 "$CCARE_ODOO_GIT_URL" "$tmp/odoo" >&2 2>/dev/null \
        && [ "$(ccare_odoo_major "$tmp/odoo")" = 19 ]; then
        mv "$tmp/odoo" "$target"
        rmdir "$tmp"
        echo "$target"
        return
    fi
    rm -rf "$tmp"
    rmdir "$CCARE_LOCAL" 2>/dev/null || true
    ccare_die "$(ccare_no_odoo_message)"
}

# Create or refresh the project virtualenv with Odoo (editable) and
# setup/requirements.txt. Re-running does nothing when nothing changed.
ccare_venv() {
    local odoo_src=$1 stamp want
    stamp=$CCARE_VENV/.ccare-installed
    want="$odoo_src $(cksum <"$CCARE_ROOT/setup/requirements.txt")"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return
    fi
    "$CCARE_PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null \
        || ccare_die "Odoo 19 needs Python 3.10 or newer; '$CCARE_PYTHON' is $("$CCARE_PYTHON" --version 2>&1). Set CCARE_PYTHON to a newer interpreter."
    command -v pg_config >/dev/null \
        || ccare_die "psycopg2 builds against PostgreSQL's client headers, which are missing (no pg_config). Install them first: 'apt-get install libpq-dev libldap2-dev libsasl2-dev' on Debian/Ubuntu."
    local fresh=
    if [ ! -x "$CCARE_VENV/bin/python" ]; then
        ccare_say "creating the virtualenv $CCARE_VENV"
        "$CCARE_PYTHON" -m venv "$CCARE_VENV" || ccare_die "could not create a virtualenv with '$CCARE_PYTHON -m venv' (on Debian: apt-get install python3-venv)."
        fresh=1
    fi
    ccare_say "installing Odoo from $odoo_src and setup/requirements.txt into $CCARE_VENV"
    # Odoo's pinned requirements.txt does not build on every Python; the
    # dependencies its setup.py declares do. 'compat' keeps a plain .pth
    # (the default import hook confuses Odoo's addons path).
    if ! { "$CCARE_VENV/bin/pip" install -q --upgrade pip wheel setuptools \
        && "$CCARE_VENV/bin/pip" install -q -e "$odoo_src" --config-settings editable_mode=compat \
        && "$CCARE_VENV/bin/pip" install -q -r "$CCARE_ROOT/setup/requirements.txt"; } >&2; then
        [ -n "$fresh" ] && rm -rf "$CCARE_VENV"
        ccare_die "installing the Python dependencies failed (see pip's messages above). On Debian/Ubuntu the build headers come from 'apt-get install python3-dev libpq-dev libldap2-dev libsasl2-dev'."
    fi
    echo "$want" >"$stamp"
}

# PostgreSQL: the server named by PGHOST/PGPORT or odoo.conf; if none
# answers but PostgreSQL's binaries are installed, a private cluster in
# .local/pgdata. Exports CCARE_DB_ARGS for odoo-bin and PG* for psql.
ccare_postgres() {
    export PGHOST=${PGHOST:-$(ccare_conf_get db_host)}
    export PGPORT=${PGPORT:-$(ccare_conf_get db_port)}
    PGHOST=${PGHOST:-127.0.0.1}
    PGPORT=${PGPORT:-5432}
    local user
    user=$(ccare_conf_get db_user)
    [ -n "$user" ] && export PGUSER=${PGUSER:-$user}
    if ! ccare_pg_ready; then
        ccare_private_cluster
    fi
    CCARE_DB_ARGS=(--db_host "$PGHOST" --db_port "$PGPORT")
    [ -n "${PGUSER:-}" ] && CCARE_DB_ARGS+=(--db_user "$PGUSER")
    [ -n "${PGPASSWORD:-}" ] && CCARE_DB_ARGS+=(--db_password "$PGPASSWORD")
    return 0
}

ccare_pg_ready() {
    "$CCARE_VENV/bin/python" - "$PGHOST" "$PGPORT" <<'PY' 2>/dev/null
import sys, psycopg2
psycopg2.connect(host=sys.argv[1], port=sys.argv[2], dbname="postgres", connect_timeout=5).close()
PY
}

ccare_private_cluster() {
    local bindir data=$CCARE_LOCAL/pgdata
    bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$bindir" ] || bindir=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")
    if [ ! -x "$bindir/initdb" ]; then
        ccare_die "no PostgreSQL answers at $PGHOST:$PGPORT and no PostgreSQL server binaries are installed to start a private one. Start your server, point PGHOST/PGPORT (or db_host/db_port in odoo.conf) at a reachable one, or install PostgreSQL ('apt-get install postgresql')."
    fi
    local run=()
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || ccare_die "no PostgreSQL answers at $PGHOST:$PGPORT; a private cluster cannot run as root and there is no 'postgres' user to run it. Start your PostgreSQL server (e.g. 'pg_ctlcluster 15 main start')."
        run=(runuser -u postgres --)
    fi
    ccare_say "no PostgreSQL at $PGHOST:$PGPORT: starting a private cluster in $data"
    mkdir -p "$CCARE_LOCAL"
    if [ ! -f "$data/PG_VERSION" ]; then
        mkdir -p "$data" && [ -n "${run[*]}" ] && chown postgres "$data"
        "${run[@]}" "$bindir/initdb" -D "$data" -A trust -U "${PGUSER:-$(id -un)}" >/dev/null \
            || { rm -rf "$data"; ccare_die "initdb failed in $data; see its messages above."; }
    fi
    "${run[@]}" "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w \
        -o "-p $PGPORT -c listen_addresses=$PGHOST -k /tmp" start >/dev/null \
        || ccare_die "the private PostgreSQL cluster in $data did not start; see $data/server.log."
    ccare_pg_ready || ccare_die "the private PostgreSQL cluster started but does not accept connections at $PGHOST:$PGPORT; see $data/server.log."
}

ccare_db_exists() {
    "$CCARE_VENV/bin/python" - "$1" <<'PY'
import os, sys, psycopg2
conn = psycopg2.connect(dbname="postgres")
cr = conn.cursor()
cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (sys.argv[1],))
sys.exit(0 if cr.fetchone() else 1)
PY
}

ccare_dropdb() {
    "$CCARE_VENV/bin/python" - "$1" <<'PY'
import sys, psycopg2
conn = psycopg2.connect(dbname="postgres")
conn.autocommit = True
conn.cursor().execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % sys.argv[1].replace('"', ""))
PY
}

# ccare_copydb SRC DST: DST as a copy of SRC (PostgreSQL copies the files:
# seconds) with its filestore; nobody may be connected to SRC.
ccare_copydb() {
    ccare_dropdb "$2"
    "$CCARE_VENV/bin/python" - "$1" "$2" <<'PY'
import sys, psycopg2
conn = psycopg2.connect(dbname="postgres")
conn.autocommit = True
src, dst = (name.replace('"', "") for name in sys.argv[1:3])
conn.cursor().execute(f'CREATE DATABASE "{dst}" TEMPLATE "{src}"')
PY
    local store=$CCARE_LOCAL/data/filestore
    rm -rf "${store:?}/$2"
    [ ! -d "$store/$1" ] || cp -a "$store/$1" "$store/$2"
}

# Every setup step in order; sets ODOO_SRC_FOUND, ODOO_BIN.
ccare_bootstrap() {
    ODOO_SRC_FOUND=$(ccare_find_odoo) || exit $?
    ccare_say "Odoo 19.0 source: $ODOO_SRC_FOUND"
    ccare_venv "$ODOO_SRC_FOUND"
    ccare_postgres
    ODOO_BIN=("$CCARE_VENV/bin/python" "$ODOO_SRC_FOUND/odoo-bin")
    cd "$CCARE_ROOT" || exit 2
}

# A free TCP port on localhost (tours and the job-runner test need one).
ccare_free_port() {
    "$CCARE_VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
