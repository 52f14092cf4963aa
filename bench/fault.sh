#!/usr/bin/env bash
# Load-and-fault test of `casebook serve` (not part of `cargo test`).
#
# What it does, in a fresh knowledge base made in a temp folder (a copy of cases/):
#   - starts `casebook serve` on 127.0.0.1:$PORT and waits for /healthz;
#   - for $DUR seconds, 16 keep-alive client connections read mixed pages (home, the search
#     page and API in Persian and English, case pages, a notebook chapter, the calendar,
#     its ICS, the digest, the problems page) and count answers by status class, with the
#     latency of successes;
#   - meanwhile a writer adds a case file fault/fN.md every ~0.5 s, rewrites an earlier one
#     and deletes another every other tick (each write atomic: a temp file outside the
#     knowledge base, then a rename into place), and every ~3 s a case is submitted through
#     the web form by a logged-in user (GET /cases/new for its token, POST, 303 = written);
#   - every ~12 s the server is killed with SIGKILL (kill -9) right after a file change, so
#     that it dies around its reload: alternately 50-400 ms after a writer's change (the
#     server reloads 300 ms after the last one) and 5-150 ms after a form POST (while it
#     writes the case or reloads before answering); it is restarted at once and the time
#     until /healthz answers again is measured. An interrupted form submission is
#     "uncertain": its case must be searchable exactly when its file exists;
#   - afterwards: `casebook check` must report 0 errors; every file still present and every
#     accepted form case must be found by its unique word (total 1), every deleted file and
#     every replaced word must not (total 0); the on-disk index is checked with the CLI
#     (`index --json` must have nothing to catch up, then `search --json` for a sample);
#     no temporary file may be left in the case folders.
# It prints a summary and `fault: PASS` (exit 0) or `fault: FAIL (<reasons>)` (exit 1).
#
#   bench/fault.sh               # 60 s of load and faults
#   DUR=20 bench/fault.sh        # shorter
#   PORT=18091 KEEP=1 bench/fault.sh   # another port; keep the temp folder afterwards
#   SEED=1234 bench/fault.sh     # repeat the random choices of an earlier run (it prints its SEED)
#
# Loopback only (127.0.0.1). Every loop is bounded in count and time; the script stops by
# itself and, on exit or interrupt, stops the server processes it started (trap). The temp
# folder is removed after a pass, kept (and named) after a failure or with KEEP=1.
#
# Needs the release binary (cargo build --release; BIN=/path/to/casebook to test another
# one; it is copied into the temp folder first), python3 (standard library only) and curl.
set -euo pipefail

DUR=${DUR:-60}
PORT=${PORT:-18090}
KEEP=${KEEP:-0}
SEED=${SEED:-$RANDOM} # the writer's, the kills' and the clients' random choices
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILT=${BIN:-$ROOT/target/release/casebook}

[ -x "$BUILT" ] || { echo "fault.sh: $BUILT is missing: cargo build --release" >&2; exit 2; }
command -v python3 >/dev/null || { echo "fault.sh: python3 is missing" >&2; exit 2; }
command -v curl >/dev/null || { echo "fault.sh: curl is missing" >&2; exit 2; }
case "$DUR" in '' | *[!0-9]*) echo "fault.sh: DUR must be whole seconds" >&2; exit 2 ;; esac
case "$PORT" in '' | *[!0-9]*) echo "fault.sh: PORT must be a number" >&2; exit 2 ;; esac
if curl -s -m 2 -o /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null; then
  echo "fault.sh: something already answers on 127.0.0.1:$PORT; choose another PORT" >&2
  exit 2
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/casebook-fault.XXXXXX")
KB=$WORK/kb          # the knowledge base
STAGE=$WORK/stage    # where the writer writes before renaming into the knowledge base
LOG=$WORK/server.log # every server's stdout and stderr, each start marked
PIDFILE=$WORK/server.pid
PY=$WORK/fault.py
mkdir -p "$KB" "$STAGE"
# A copy of the binary, so that every start and check of this run is the same build even
# if target/ is rebuilt meanwhile.
BIN=$WORK/casebook
cp "$BUILT" "$BIN"
PYPID=
RESULT=fail

# Stops what this script started: the python driver, then the server whose pid it wrote
# (only if that pid is still a casebook serving this knowledge base).
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$PYPID" ] && kill -0 "$PYPID" 2>/dev/null; then
    kill -TERM "$PYPID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$PYPID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$PYPID" 2>/dev/null || true
  fi
  if [ -f "$PIDFILE" ]; then
    local pid
    pid=$(cat "$PIDFILE" 2>/dev/null || true)
    if [ -n "$pid" ] && tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF -- "$KB"; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  if [ "$RESULT" = pass ] && [ "$KEEP" != 1 ]; then
    rm -rf "$WORK"
  else
    echo "fault.sh: temp folder kept: $WORK (server log: $LOG)" >&2
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# 1. A fresh knowledge base: the bundled demo cases (recurring/ included), no index yet.
cp -a "$ROOT/cases/." "$KB/"
rm -rf "$KB/.casebook"
# The writer's folder exists before the server starts (its files are what is tested, not
# how a folder that appears later is watched).
mkdir -p "$KB/fault"
# Writing from the browser needs a login: one user, whose session the form submitter
# opens again after each restart (sessions live in the server's memory).
printf 'fault password\n' | "$BIN" --kb "$KB" user add fault --password-stdin 2>/dev/null

echo "== fault.sh: kb $KB, 127.0.0.1:$PORT, ${DUR}s, SEED=$SEED, $(nproc) cores"
echo "   binary: $BUILT ($(stat -c '%s bytes, built %y' "$BUILT" | cut -d. -f1))"

# 2-5 and the HTTP half of 6: the python driver starts the server, runs the load, the
# writers and the kills, verifies through HTTP, stops the server and writes results.json.
cat >"$PY" <<'PYEOF'
import http.client, json, os, random, re, signal, subprocess, sys, threading, time
import urllib.parse

MODE = sys.argv[1]
WORK = os.environ["F_WORK"]
KB = os.environ["F_KB"]
STAGE = os.environ["F_STAGE"]
LOG = os.environ["F_LOG"]
PIDFILE = os.environ["F_PIDFILE"]
BIN = os.environ["F_BIN"]
PORT = int(os.environ["F_PORT"])
DUR = int(os.environ["F_DUR"])
SEED = int(os.environ["F_SEED"])
HOST = f"127.0.0.1:{PORT}"
RESULTS = os.path.join(WORK, "results.json")

CLIENTS = 16
WRITE_EVERY = 0.5
FORM_EVERY = 3.0
KILL_EVERY = 12.0
HEALTHY_WITHIN = 120.0
REQ_TIMEOUT = 15.0
T0 = time.monotonic()


def now():
    return time.monotonic() - T0


def log_marker(text):
    with open(LOG, "ab") as f:
        f.write(f"=== fault.sh t={now():.3f}s: {text}\n".encode())


# ---------------------------------------------------------------- the server process
class Server:
    def __init__(self):
        self.proc = None
        self.lock = threading.Lock()
        self.up = False

    def start(self):
        log_marker("starting the server")
        out = open(LOG, "ab")
        self.proc = subprocess.Popen(
            [BIN, "--kb", KB, "serve", "--addr", HOST],
            stdin=subprocess.DEVNULL, stdout=out, stderr=out)
        out.close()
        with open(PIDFILE, "w") as f:
            f.write(str(self.proc.pid))
        log_marker(f"server pid {self.proc.pid}")
        return self.proc.pid

    def wait_healthy(self, within=HEALTHY_WITHIN):
        """Seconds until GET /healthz answers ok, or None (bounded by `within`)."""
        t = time.monotonic()
        deadline = t + within
        for _ in range(int(within / 0.02) + 1):
            if time.monotonic() > deadline:
                break
            if self.proc.poll() is not None:
                return None
            try:
                c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
                c.request("GET", "/healthz", headers={"Host": HOST})
                r = c.getresponse()
                body = r.read()
                c.close()
                if r.status == 200 and body.strip() == b"ok":
                    return time.monotonic() - t
            except OSError:
                pass
            time.sleep(0.02)
        return None

    def kill9(self):
        pid = self.proc.pid
        os.kill(pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        log_marker(f"killed pid {pid} with SIGKILL")

    def stop(self):
        """SIGTERM and a bounded wait; the exit status, or 'killed' if it did not stop."""
        if self.proc is None or self.proc.poll() is not None:
            return None if self.proc is None else self.proc.returncode
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
            return "killed"


STOP = threading.Event()
SERVER = Server()


def on_term(signum, frame):
    STOP.set()
    try:
        if SERVER.proc is not None and SERVER.proc.poll() is None:
            SERVER.proc.kill()
    finally:
        os._exit(143)


# ---------------------------------------------------------------- shared bookkeeping
LOCK = threading.Lock()
DOWN = []          # [start, end] of each window in which the server is known down
DOWN_NOW = [None]  # start of the current down window


def in_down_window(t, grace=1.0):
    with LOCK:
        if DOWN_NOW[0] is not None and t >= DOWN_NOW[0] - 0.05:
            return True
        return any(a - 0.05 <= t <= b + grace for a, b in DOWN)


DEMO_IDS = []
for d, _, files in os.walk(KB):
    rel = os.path.relpath(d, KB)
    if rel.startswith(".casebook") or rel.startswith("recurring") or rel.startswith("fault"):
        continue
    for f in files:
        if f.endswith(".md"):
            DEMO_IDS.append(os.path.normpath(os.path.join(rel, f[:-3])).replace(os.sep, "/"))
DEMO_IDS.sort()
FAULT_IDS = []  # every fault id ever written (deleted ones stay: their pages answer 404)

WORDS = ["قرارداد", "ارز", "تامین", "supplier", "contract", "refund", "instagram"]
PAGES = ["/", "/notebook/contracts", "/calendar", "/digest", "/problems", "/calendar.ics"]


def pick_url(rng):
    r = rng.random()
    q = urllib.parse.quote(rng.choice(WORDS))
    if r < 0.10:
        return "/", "page"
    if r < 0.25:
        return "/search?q=" + q, "page"
    if r < 0.50:
        return "/api/search?q=" + q, "page"
    if r < 0.72:
        with LOCK:
            fault = FAULT_IDS[rng.randrange(len(FAULT_IDS))] if FAULT_IDS and rng.random() < 0.35 else None
        if fault:
            return "/cases/" + fault, "fault"
        return "/cases/" + urllib.parse.quote(rng.choice(DEMO_IDS)), "demo"
    return rng.choice(PAGES[1:]), "page"


class Tally:
    def __init__(self):
        self.c = {"2xx": 0, "3xx": 0, "404": 0, "4xx": 0, "5xx": 0, "conn": 0,
                  "conn_unexpected": 0, "404_unexpected": 0}
        self.lat = []
        self.bad = []  # (t, url, status or error, body excerpt)


TALLIES = []


def client(seed, end):
    rng = random.Random(SEED * 100 + seed)
    t = Tally()
    TALLIES.append(t)
    conn = None
    for _ in range(10_000_000):
        if time.monotonic() >= end or STOP.is_set():
            break
        url, kind = pick_url(rng)
        if conn is None:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=REQ_TIMEOUT)
        start = time.monotonic()
        try:
            conn.request("GET", url, headers={"Host": HOST})
            r = conn.getresponse()
            body = r.read()
        except (OSError, http.client.HTTPException) as e:
            t.c["conn"] += 1
            when = start - T0
            if not in_down_window(when) and not in_down_window(now()):
                t.c["conn_unexpected"] += 1
                if len(t.bad) < 20:
                    t.bad.append((round(when, 3), url, f"{type(e).__name__}: {e}", ""))
            try:
                conn.close()
            except Exception:
                pass
            conn = None
            time.sleep(0.05)
            continue
        ms = (time.monotonic() - start) * 1000
        s = r.status
        if 200 <= s < 300:
            t.c["2xx"] += 1
            t.lat.append(ms)
        elif 300 <= s < 400:
            t.c["3xx"] += 1
        elif s == 404:
            t.c["404"] += 1
            if kind != "fault":
                t.c["404_unexpected"] += 1
                if len(t.bad) < 20:
                    t.bad.append((round(start - T0, 3), url, s, body[:200].decode(errors="replace")))
        else:
            t.c["4xx" if s < 500 else "5xx"] += 1
            if len(t.bad) < 20:
                t.bad.append((round(start - T0, 3), url, s, body[:300].decode(errors="replace")))
        if r.will_close:
            conn.close()
            conn = None
    if conn is not None:
        conn.close()


# ---------------------------------------------------------------- the writers
FILES = {}        # "fault/fN" -> {"word": current word, "replaced": [...], "deleted": bool}
WRITES = {"added": 0, "edited": 0, "deleted": 0}
LAST_WRITE = [0.0]   # when the writer last changed a file
FORM_POSTED = [0.0]  # when the last form POST was sent
WROTE = threading.Condition()
FORMS = []        # {"n", "title", "word", "outcome": accepted|uncertain|rejected|no-form, ...}


def case_text(title_word):
    return (f"---\ntitle: Fault case {title_word}\ncrisis_type: technical\n"
            f"date: 2024-05-01\n---\nBody with {title_word}.\n")


def put(rel, text):
    """Writes the whole file under a temp name outside the kb, then renames it into place."""
    tmp = os.path.join(STAGE, f".tmp-{os.getpid()}-{threading.get_ident()}-{time.monotonic_ns()}")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.rename(tmp, os.path.join(KB, rel))


def wrote():
    with WROTE:
        LAST_WRITE[0] = time.monotonic()
        WROTE.notify_all()


def writer(end):
    rng = random.Random(SEED * 100 + 97)
    edits = 0
    next_at = time.monotonic()
    for n in range(1, int(DUR / WRITE_EVERY) + 20):
        if time.monotonic() >= end or STOP.is_set():
            break
        id_ = f"fault/f{n}"
        word = f"faultword{n}"
        put(id_ + ".md", case_text(word))
        with LOCK:
            FILES[id_] = {"word": word, "replaced": [], "deleted": False, "added_at": round(now(), 3)}
            FAULT_IDS.append(id_)
        WRITES["added"] += 1
        wrote()
        present = [k for k, v in FILES.items() if not v["deleted"] and k != id_]
        if present:
            victim = rng.choice(present)
            edits += 1
            new = f"faultedit{edits}"
            put(victim + ".md", case_text(new))
            with LOCK:
                FILES[victim]["replaced"].append(FILES[victim]["word"])
                FILES[victim]["word"] = new
                FILES[victim]["edited_at"] = round(now(), 3)
            WRITES["edited"] += 1
            wrote()
        if n % 2 == 0:
            present = [k for k, v in FILES.items() if not v["deleted"] and k != id_]
            if present:
                victim = rng.choice(present)
                os.unlink(os.path.join(KB, victim + ".md"))
                with LOCK:
                    FILES[victim]["deleted"] = True
                    FILES[victim]["deleted_at"] = round(now(), 3)
                WRITES["deleted"] += 1
                wrote()
        next_at += WRITE_EVERY
        time.sleep(max(0.0, min(WRITE_EVERY, next_at - time.monotonic())))


SESSION = [None]  # the form submitter's session cookie, None until logged in


def log_in():
    """Logs the user in as a browser would; returns the session cookie."""
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=REQ_TIMEOUT)
    c.request("GET", "/login", headers={"Host": HOST})
    r = c.getresponse()
    m = re.search(r'name="token" value="([^"]*)"', r.read().decode(errors="replace"))
    # The form's token comes with a cookie that must go back with it.
    form_cookie = "; ".join(v.split(";")[0] for k, v in r.getheaders()
                            if k.lower() == "set-cookie" and v.startswith("casebook_login="))
    body = urllib.parse.urlencode({"token": m.group(1) if m else "", "name": "fault",
                                   "password": "fault password", "next": "/"})
    c.request("POST", "/login", body=body, headers={
        "Host": HOST, "Origin": f"http://{HOST}", "Cookie": form_cookie,
        "Content-Type": "application/x-www-form-urlencoded"})
    r = c.getresponse()
    r.read()
    c.close()
    cookie = (r.getheader("Set-Cookie") or "").split(";")[0]
    return cookie if r.status == 303 and cookie.startswith("casebook_session=") else None


def form_page(c):
    """GET /cases/new with the session (logging in again if the server forgot it)."""
    for _ in range(2):
        if SESSION[0] is None:
            SESSION[0] = log_in()
        c.request("GET", "/cases/new", headers={"Host": HOST, "Cookie": SESSION[0] or ""})
        r = c.getresponse()
        page = r.read().decode(errors="replace")
        if r.status == 303:
            SESSION[0] = None
            continue
        return r, page
    return r, page


def form_submitter(end):
    time.sleep(1.0)
    for n in range(1, int(DUR / FORM_EVERY) + 5):
        if time.monotonic() >= end or STOP.is_set():
            break
        started = time.monotonic()
        title = f"Form case formword{n}"
        rec = {"n": n, "title": title, "word": f"formword{n}", "at": round(now(), 3)}
        FORMS.append(rec)
        token = None
        try:
            c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=REQ_TIMEOUT)
            r, page = form_page(c)
            m = re.search(r'name="token" value="([^"]*)"', page)
            token = m.group(1) if (r.status == 200 and m) else None
            if token is None:
                rec["outcome"] = "no-form"
                rec["detail"] = f"GET /cases/new: {r.status}"
        except (OSError, http.client.HTTPException) as e:
            rec["outcome"] = "no-form"
            rec["conn_error"] = True
            rec["detail"] = f"GET /cases/new: {type(e).__name__}: {e}"
        if token is not None:
            body = urllib.parse.urlencode({"token": token, "title": title,
                                           "crisis_type": "technical", "date": "2024-05-02"})
            try:
                c.request("POST", "/cases/new", body=body, headers={
                    "Host": HOST, "Origin": f"http://{HOST}", "Cookie": SESSION[0] or "",
                    "Content-Type": "application/x-www-form-urlencoded"})
                with WROTE:
                    FORM_POSTED[0] = time.monotonic()
                    WROTE.notify_all()
                r = c.getresponse()
                page = r.read().decode(errors="replace")
                if r.status == 303:
                    rec["outcome"] = "accepted"
                    rec["location"] = r.getheader("Location")
                else:
                    rec["outcome"] = "rejected"
                    rec["detail"] = f"POST: {r.status}: " + re.sub(r"\s+", " ", page)[:300]
            except (OSError, http.client.HTTPException) as e:
                rec["outcome"] = "uncertain"
                rec["detail"] = f"POST: {type(e).__name__}: {e}"
        try:
            c.close()
        except Exception:
            pass
        rest = FORM_EVERY - (time.monotonic() - started)
        if rest > 0:
            time.sleep(rest)


RESTARTS = []


def killer(end):
    """Every KILL_EVERY s: SIGKILL the server shortly after a file change, restart it and
    time it back to healthy. Odd kills follow a writer's change by 50-400 ms (around the
    reload that starts 300 ms after it); even ones follow a form POST by 5-150 ms (while
    the server writes the case, or reloads before answering 303)."""
    rng = random.Random(SEED * 100 + 98)
    k = 1
    for _ in range(1000):
        due = T0 + k * KILL_EVERY
        # No kill in the last 5 s: the restart must be measured, not cut short.
        if due > end - 5 or STOP.is_set():
            break
        if time.monotonic() < due:
            time.sleep(due - time.monotonic())
        after_form = k % 2 == 0
        box = FORM_POSTED if after_form else LAST_WRITE
        with WROTE:
            seen = box[0]
            WROTE.wait_for(lambda: box[0] != seen or STOP.is_set(), timeout=2 * FORM_EVERY)
            trigger = box[0]
        delay = rng.uniform(0.005, 0.15) if after_form else rng.uniform(0.05, 0.40)
        time.sleep(max(0.0, trigger + delay - time.monotonic()))
        old = SERVER.proc.pid
        with LOCK:
            DOWN_NOW[0] = now()
        t_kill = time.monotonic()
        since_trigger = t_kill - trigger
        since_write = t_kill - max(LAST_WRITE[0], FORM_POSTED[0])
        SERVER.kill9()
        reaped_ms = (time.monotonic() - t_kill) * 1000
        SERVER.start()
        secs = SERVER.wait_healthy()
        t_up = time.monotonic()
        with LOCK:
            DOWN.append((DOWN_NOW[0], now()))
            DOWN_NOW[0] = None
        what = "a form POST" if after_form else "a file write"
        RESTARTS.append({"at": round(t_kill - T0, 3), "killed_pid": old, "after": what,
                         "ms_after": round(since_trigger * 1000),
                         "ms_after_last_change": round(since_write * 1000),
                         "reaped_ms": round(reaped_ms),
                         "to_healthy_s": None if secs is None else round(t_up - t_kill, 3),
                         "start_to_healthy_s": None if secs is None else round(secs, 3)})
        print(f"  kill #{k} at {t_kill - T0:6.2f}s ({since_trigger * 1000:.0f} ms after {what}): "
              + ("NOT healthy within %.0f s" % HEALTHY_WITHIN if secs is None
                 else f"healthy again {t_up - t_kill:.3f} s after the kill"), flush=True)
        if secs is None:
            STOP.set()
            break
        k += 1


# ---------------------------------------------------------------- verification over HTTP
def api_search(conn_box, word):
    for attempt in range(3):
        try:
            if conn_box[0] is None:
                conn_box[0] = http.client.HTTPConnection("127.0.0.1", PORT, timeout=REQ_TIMEOUT)
            c = conn_box[0]
            c.request("GET", "/api/search?q=" + urllib.parse.quote(word) + "&limit=5",
                      headers={"Host": HOST})
            r = c.getresponse()
            body = r.read()
            if r.status != 200:
                return {"status": r.status, "body": body[:300].decode(errors="replace")}
            j = json.loads(body)
            return {"status": 200, "total": j.get("total"), "ids": [h.get("id") for h in j.get("hits", [])]}
        except (OSError, http.client.HTTPException, ValueError) as e:
            conn_box[0] = None
            err = f"{type(e).__name__}: {e}"
            time.sleep(0.2)
    return {"status": None, "error": err}


def verify():
    box = [None]
    checks = {"present": [0, 0], "deleted": [0, 0], "replaced": [0, 0], "form": [0, 0],
              "uncertain": [0, 0], "pages": [0, 0]}
    misses = []

    def expect(group, word, want, want_id=None, note=""):
        res = api_search(box, word)
        ok = res.get("status") == 200 and res.get("total") == want
        if ok and want_id is not None:
            ok = want_id in res.get("ids", [])
        checks[group][1] += 1
        if ok:
            checks[group][0] += 1
        else:
            misses.append({"group": group, "word": word, "want_total": want, "want_id": want_id,
                           "got": res, "note": note})

    for id_, f in sorted(FILES.items(), key=lambda kv: int(kv[0].split("/f")[1])):
        path = os.path.join(KB, id_ + ".md")
        on_disk = os.path.exists(path)
        info = {k: v for k, v in f.items() if k not in ("word", "replaced")}
        if f["deleted"]:
            if on_disk:
                misses.append({"group": "deleted", "word": f["word"], "note": f"{id_} still on disk"})
            for w in [f["word"]] + f["replaced"]:
                expect("deleted", w, 0, note=f"{id_} deleted {info}")
        else:
            expect("present", f["word"], 1, want_id=id_, note=f"{id_} {info}")
            for w in f["replaced"]:
                expect("replaced", w, 0, note=f"{id_} now says {f['word']} {info}")
    root_md = [n for n in os.listdir(KB) if n.endswith(".md")]
    for rec in FORMS:
        out = rec.get("outcome")
        files = [n for n in root_md if n.endswith(f"-form-case-{rec['word']}.md")]
        rec["on_disk"] = files
        if out == "accepted":
            expect("form", rec["word"], 1, note=f"form #{rec['n']} accepted at {rec['at']}s, file {files}")
        elif out == "uncertain":
            expect("uncertain", rec["word"], 1 if files else 0,
                   note=f"form #{rec['n']} interrupted at {rec['at']}s, file {files}")
        elif files:
            misses.append({"group": "form", "word": rec["word"],
                           "note": f"form #{rec['n']} {out} but written: {files}"})
    # Case pages agree with the files: a present case answers 200, a deleted one 404.
    for id_, f in sorted(FILES.items()):
        want = 404 if f["deleted"] else 200
        got = None
        for attempt in range(3):
            try:
                if box[0] is None:
                    box[0] = http.client.HTTPConnection("127.0.0.1", PORT, timeout=REQ_TIMEOUT)
                box[0].request("GET", "/cases/" + id_, headers={"Host": HOST})
                r = box[0].getresponse()
                r.read()
                got = r.status
                break
            except (OSError, http.client.HTTPException) as e:
                box[0] = None
                got = f"{type(e).__name__}: {e}"
        checks["pages"][1] += 1
        if got == want:
            checks["pages"][0] += 1
        else:
            misses.append({"group": "pages", "word": id_, "want_status": want, "got": got})
    return checks, misses


def percentile(sorted_vals, p):
    if not sorted_vals:
        return None
    i = min(len(sorted_vals) - 1, max(0, int(round(p / 100 * len(sorted_vals) + 0.5)) - 1))
    return sorted_vals[i]


def run():
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    res = {"dur": DUR, "port": PORT}
    SERVER.start()
    first = SERVER.wait_healthy()
    if first is None:
        res["fatal"] = "the server did not answer /healthz within %d s" % HEALTHY_WITHIN
        json.dump(res, open(RESULTS, "w"))
        SERVER.stop()
        print("  " + res["fatal"], flush=True)
        return 1
    res["first_start_s"] = round(first, 3)
    print(f"  server up in {first:.3f} s; {len(DEMO_IDS)} demo cases; "
          f"{CLIENTS} clients for {DUR} s", flush=True)
    end = time.monotonic() + DUR
    threads = [threading.Thread(target=client, args=(i, end), daemon=True) for i in range(CLIENTS)]
    threads += [threading.Thread(target=writer, args=(end,), daemon=True),
                threading.Thread(target=form_submitter, args=(end,), daemon=True),
                threading.Thread(target=killer, args=(end,), daemon=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(1.0, end - time.monotonic() + HEALTHY_WITHIN + 60))
    res["stuck_threads"] = sum(t.is_alive() for t in threads)
    res["elapsed_s"] = round(now(), 3)
    STOP.set()
    # The last change's reload (300 ms of quiet, then the reload itself).
    time.sleep(2.0)
    alive = SERVER.proc.poll() is None and SERVER.wait_healthy(within=30) is not None
    res["alive_at_end"] = alive
    checks, misses = verify() if alive else ({}, [{"group": "server", "note": "not healthy at the end"}])
    res["checks"] = checks
    res["misses"] = misses
    res["stop_status"] = SERVER.stop()
    counts = {}
    lat = []
    bad = []
    for t in TALLIES:
        for k, v in t.c.items():
            counts[k] = counts.get(k, 0) + v
        lat.extend(t.lat)
        bad.extend(t.bad)
    lat.sort()
    res["counts"] = counts
    res["requests"] = sum(counts[k] for k in ("2xx", "3xx", "404", "4xx", "5xx", "conn"))
    res["p50_ms"] = percentile(lat, 50)
    res["p99_ms"] = percentile(lat, 99)
    res["bad"] = sorted(bad)[:40]
    res["restarts"] = RESTARTS
    res["writes"] = WRITES
    res["files"] = FILES
    res["forms"] = FORMS
    res["down_windows"] = DOWN
    with open(RESULTS, "w") as f:
        json.dump(res, f, ensure_ascii=False, indent=1)
    return 0


# ---------------------------------------------------------------- the summary
def report():
    res = json.load(open(RESULTS))
    env = os.environ
    reasons = []
    if "fatal" in res:
        reasons.append(res["fatal"])
    c = res.get("counts", {})
    total = res.get("requests", 0)
    forms = res.get("forms", [])
    by = lambda o: sum(1 for r in forms if r.get("outcome") == o)
    restarts = res.get("restarts", [])
    checks = res.get("checks", {})
    misses = res.get("misses", [])
    fmt = lambda v: "-" if v is None else f"{v:.1f}"
    print("== summary")
    print(f"  run:          {res.get('elapsed_s', 0):.1f} s, {CLIENTS} clients, port {res.get('port')}")
    print(f"  requests:     {total} ({total / max(1, DUR):.0f}/s)")
    print(f"    2xx {c.get('2xx', 0)}  3xx {c.get('3xx', 0)}  404 {c.get('404', 0)}"
          f"  other 4xx {c.get('4xx', 0)}  5xx {c.get('5xx', 0)}  conn errors {c.get('conn', 0)}")
    print(f"    unexpected: 404 on a demo case or a page {c.get('404_unexpected', 0)},"
          f" conn errors while the server was up {c.get('conn_unexpected', 0)}")
    print(f"  latency (2xx): p50 {fmt(res.get('p50_ms'))} ms, p99 {fmt(res.get('p99_ms'))} ms")
    print(f"  first start:  healthy in {res.get('first_start_s', '-')} s")
    times = [r["to_healthy_s"] for r in restarts]
    print(f"  restarts:     {len(restarts)} kill -9, healthy again after: "
          + (", ".join("-" if t is None else f"{t:.3f}s" for t in times) or "-"))
    for r in restarts:
        print(f"    at {r['at']:7.2f}s, {r['ms_after']} ms after {r['after']}"
              f" ({r['ms_after_last_change']} ms after the last change): kill to healthy"
              f" {r['to_healthy_s']} s (dead after {r['reaped_ms']} ms, process start to healthy"
              f" {r['start_to_healthy_s']} s)")
    w = res.get("writes", {})
    print(f"  writes:       files added {w.get('added', 0)}, edited {w.get('edited', 0)},"
          f" deleted {w.get('deleted', 0)}")
    print(f"  form cases:   submitted {len(forms)}, accepted (303) {by('accepted')},"
          f" uncertain {by('uncertain')}, rejected {by('rejected')}, no form {by('no-form')}")
    names = {"present": "present files found by their word",
             "replaced": "replaced words gone",
             "deleted": "deleted files' words gone",
             "form": "accepted form cases found",
             "uncertain": "interrupted form cases agree with the disk",
             "pages": "case pages 200/404 as the files"}
    print("  verification over HTTP (/api/search, total 1 or 0):")
    for k in ("present", "replaced", "deleted", "form", "uncertain", "pages"):
        got, want = checks.get(k, [0, 0])
        print(f"    {names[k]}: {got}/{want}")
    print(f"  server stop:  exit status {res.get('stop_status')}")
    print(f"  check:        exit {env['F_CHECK_RC']}, {env['F_CHECK_ERRORS']} error(s)"
          f" ({env['F_CHECK_LINE']})")
    print(f"  index --json: {env['F_INDEX_LINE']}")
    print(f"  CLI search:   {env['F_CLI_OK']}/{env['F_CLI_N']} sample words agree with the files")
    print(f"  temp files in the case folders: {env['F_TMP_COUNT']};"
          f" in .casebook/tmp: {env['F_STATE_TMP_COUNT']} (cleaned at the next start)")
    print(f"  server log:   {env['F_LOG_WARN']} WARN, {env['F_LOG_ERROR']} ERROR, {env['F_LOG_PANIC']} panic line(s);"
          f" index rebuilt from scratch at {env['F_LOG_REBUILDS']} restart(s)")

    if res.get("stuck_threads"):
        reasons.append(f"{res['stuck_threads']} thread(s) still running at the end")
    if not res.get("alive_at_end", False) and "fatal" not in res:
        reasons.append("the server was not healthy at the end")
    if any(r["to_healthy_s"] is None for r in restarts):
        reasons.append("a restart did not become healthy")
    if c.get("5xx", 0):
        reasons.append(f"{c['5xx']} 5xx")
    if c.get("4xx", 0):
        reasons.append(f"{c['4xx']} unexpected 4xx")
    if c.get("404_unexpected", 0):
        reasons.append(f"{c['404_unexpected']} 404 on demo cases or pages")
    if c.get("conn_unexpected", 0):
        reasons.append(f"{c['conn_unexpected']} connection errors while the server was up")
    bad_forms = by("rejected") + sum(1 for r in forms if r.get("outcome") == "no-form"
                                     and not r.get("conn_error"))
    if bad_forms:
        reasons.append(f"{bad_forms} form submission(s) refused by a running server")
    if misses:
        reasons.append(f"{len(misses)} verification miss(es)")
    if env["F_CHECK_RC"] != "0" or env["F_CHECK_ERRORS"] != "0":
        reasons.append(f"check: exit {env['F_CHECK_RC']}, {env['F_CHECK_ERRORS']} error(s)")
    if env["F_INDEX_BEHIND"] != "0":
        reasons.append("the on-disk index was behind the files")
    if env["F_CLI_OK"] != env["F_CLI_N"]:
        reasons.append(f"CLI search: {int(env['F_CLI_N']) - int(env['F_CLI_OK'])} disagreement(s)")
    if env["F_TMP_COUNT"] != "0":
        reasons.append(f"{env['F_TMP_COUNT']} temp file(s) left in the case folders")
    if env["F_LOG_PANIC"] != "0":
        reasons.append("the server panicked")
    if env["F_STOP_OK"] != "1":
        reasons.append("the server did not stop cleanly on SIGTERM")

    if res.get("bad"):
        print("== unexpected answers (time, url, status/error, body):")
        for b in res["bad"][:20]:
            print("   ", b)
    if misses:
        print(f"== verification misses ({len(misses)}):")
        for m in misses[:40]:
            print("   ", json.dumps(m, ensure_ascii=False))
    odd = [r for r in forms if r.get("outcome") in ("rejected", "uncertain", "no-form")]
    if odd:
        print("== form submissions not accepted:")
        for r in odd:
            print(f"    #{r['n']} at {r['at']}s: {r['outcome']}: {r.get('detail', '')}"
                  f" (on disk: {r.get('on_disk')})")
    if reasons:
        print("fault: FAIL (" + "; ".join(reasons) + ")")
        return 1
    print("fault: PASS")
    return 0


# ---------------------------------------------------------------- CLI sample
def sample():
    """Words for the CLI to look up: `word<TAB>expected total<TAB>expected id`."""
    res = json.load(open(RESULTS))
    rng = random.Random(SEED * 100 + 99)
    present = [(f["word"], 1, k) for k, f in res["files"].items() if not f["deleted"]]
    gone = [(w, 0, "") for k, f in res["files"].items() for w in
            ([f["word"]] + f["replaced"] if f["deleted"] else f["replaced"])]
    forms = [(r["word"], 1, "") for r in res["forms"] if r.get("outcome") == "accepted"]
    out = (rng.sample(present, min(6, len(present))) + rng.sample(gone, min(6, len(gone)))
           + rng.sample(forms, min(3, len(forms))))
    for w, n, i in out:
        print(f"{w}\t{n}\t{i}")


def indexline():
    """`<changes> <text>` from `casebook index --json`: what the server left undone."""
    rc = sys.argv[3]
    try:
        j = json.load(open(sys.argv[2]))
    except ValueError:
        print(1, f"exit {rc}, no JSON")
        return 0
    s = j.get("stats", {})
    behind = sum(int(s.get(k) or 0) for k in ("added", "updated", "removed"))
    behind += 1 if s.get("rebuilt") else 0
    print(behind, f"exit {rc}: {j.get('cases')} case(s) searchable; added {s.get('added')},"
          f" updated {s.get('updated')}, removed {s.get('removed')},"
          f" unchanged {s.get('unchanged')}, rebuilt {s.get('rebuilt')}")
    return 0


sys.exit({"run": run, "report": report, "sample": lambda: sample() or 0,
          "indexline": indexline}[MODE]())
PYEOF

export F_WORK=$WORK F_KB=$KB F_STAGE=$STAGE F_LOG=$LOG F_PIDFILE=$PIDFILE F_BIN=$BIN \
  F_PORT=$PORT F_DUR=$DUR F_SEED=$SEED

# 2-5, and 6 over HTTP.
python3 -u "$PY" run &
PYPID=$!
set +e
wait "$PYPID"
RUN_RC=$?
set -e
PYPID=
if [ ! -f "$WORK/results.json" ]; then
  echo "fault.sh: the driver stopped without results (exit $RUN_RC); server log:" >&2
  tail -n 40 "$LOG" | sed -E 's/\x1b\[[0-9;]*m//g' >&2 || true
  if [ "$RUN_RC" = 130 ] || [ "$RUN_RC" = 143 ]; then
    echo "fault: FAIL (interrupted)"
    exit 130
  fi
  echo "fault: FAIL (driver exited $RUN_RC)"
  exit 1
fi
STOP_STATUS=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("stop_status"))' "$WORK/results.json")
F_STOP_OK=0
[ "$STOP_STATUS" = 0 ] && F_STOP_OK=1

# 6. With the server stopped: the files, the on-disk index, the leftovers.
set +e
CHECK_OUT=$("$BIN" --kb "$KB" check 2>&1)
F_CHECK_RC=$?
set -e
F_CHECK_LINE=$(grep -E '[0-9]+ error\(s\)' <<<"$CHECK_OUT" | tail -n 1 || true)
F_CHECK_ERRORS=$(sed -nE 's/.* ([0-9]+) error\(s\).*/\1/p' <<<"$F_CHECK_LINE")
F_CHECK_ERRORS=${F_CHECK_ERRORS:-unknown}
if [ "$F_CHECK_RC" != 0 ] || [ "$F_CHECK_ERRORS" != 0 ]; then
  echo "== casebook check output:"
  head -n 60 <<<"$CHECK_OUT"
fi

# What the server left in the index: `index --json` says what it had to catch up.
set +e
"$BIN" --kb "$KB" index --json >"$WORK/index.json" 2>"$WORK/index.err"
INDEX_RC=$?
set -e
INDEX_SUMMARY=$(python3 "$PY" indexline "$WORK/index.json" "$INDEX_RC" 2>/dev/null || echo "1 unreadable")
F_INDEX_BEHIND=${INDEX_SUMMARY%% *}
F_INDEX_LINE=${INDEX_SUMMARY#* }

# A sample of words searched with the CLI (the on-disk index, no server).
F_CLI_N=0
F_CLI_OK=0
CLI_MISSES=
while IFS=$'\t' read -r word want id; do
  [ -n "$word" ] || continue
  F_CLI_N=$((F_CLI_N + 1))
  set +e
  out=$("$BIN" --kb "$KB" search "$word" --json 2>/dev/null)
  set -e
  got=$(python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["total"], " ".join(h["id"] for h in j["hits"]))' <<<"$out" 2>/dev/null || echo "error")
  if [ "${got%% *}" = "$want" ] && { [ -z "$id" ] || grep -qw -- "$id" <<<"$got"; }; then
    F_CLI_OK=$((F_CLI_OK + 1))
  else
    CLI_MISSES+="    $word: want total $want ${id:+($id)}, got: $got"$'\n'
  fi
done < <(python3 "$PY" sample | head -n 50)

TMP_FOUND=$(find "$KB" -path "$KB/.casebook" -prune -o -type f \( -name '.tmp*' -o -name '*.tmp' -o -name 'new-case-*' \) -print)
F_TMP_COUNT=$(grep -c . <<<"$TMP_FOUND" || true)
STATE_TMP=$(ls -la "$KB/.casebook/tmp/" 2>/dev/null | tail -n +2 || true)
F_STATE_TMP_COUNT=$(find "$KB/.casebook/tmp" -mindepth 1 2>/dev/null | grep -c . || true)

CLEAN_LOG=$(sed -E 's/\x1b\[[0-9;]*m//g' "$LOG")
F_LOG_WARN=$(grep -c ' WARN ' <<<"$CLEAN_LOG" || true)
F_LOG_ERROR=$(grep -c ' ERROR ' <<<"$CLEAN_LOG" || true)
F_LOG_PANIC=$(grep -ci 'panicked' <<<"$CLEAN_LOG" || true)
# What each start said besides "loaded" and "serving": an index rebuilt from scratch after
# a kill (the first start builds it: "no index yet"), a warning.
START_NOTES=$(grep -E '^=== fault.sh|^casebook: ' <<<"$CLEAN_LOG" | grep -vE 'case\(s\) loaded|serving on|stopped$|killed pid|server pid' || true)
F_LOG_REBUILDS=$(grep -E '^casebook: building the search index' <<<"$CLEAN_LOG" | grep -vc 'no index yet' || true)

if [ -n "$TMP_FOUND" ]; then
  echo "== temp files in the case folders:"
  echo "$TMP_FOUND"
fi
echo "== $KB/.casebook/tmp/:"
echo "${STATE_TMP:-    (missing)}"
if [ -n "$CLI_MISSES" ]; then
  echo "== CLI search disagreements:"
  printf '%s' "$CLI_MISSES"
fi
if [ "$F_LOG_WARN$F_LOG_ERROR$F_LOG_PANIC" != 000 ]; then
  echo "== server log: WARN/ERROR/panic lines (first 20):"
  grep -E ' WARN | ERROR |panicked' <<<"$CLEAN_LOG" | head -n 20 || true
fi
if [ "$F_LOG_REBUILDS" != 0 ] || grep -q '^casebook: warning' <<<"$START_NOTES"; then
  echo "== server starts (what each said besides loaded/serving):"
  echo "$START_NOTES" | head -n 40
fi
cat "$WORK/index.err" 2>/dev/null | sed 's/^/    index: /' || true

export F_LOG_REBUILDS F_CHECK_RC F_CHECK_ERRORS F_CHECK_LINE F_INDEX_LINE F_INDEX_BEHIND F_CLI_N F_CLI_OK \
  F_TMP_COUNT F_STATE_TMP_COUNT F_LOG_WARN F_LOG_ERROR F_LOG_PANIC F_STOP_OK
set +e
python3 "$PY" report
REPORT_RC=$?
set -e
if [ "$REPORT_RC" = 0 ]; then
  RESULT=pass
else
  echo "== last lines of the server log ($LOG):"
  tail -n 40 "$LOG" | sed -E 's/\x1b\[[0-9;]*m//g'
fi
exit "$REPORT_RC"
