#!/usr/bin/python3
"""tests/viz/cdp.py — drive headless Chromium over --remote-debugging-pipe
(the DevTools protocol, no extra package) to test a `dlsync replay` page.

usage: cdp.py CHROMIUM PAGE.html SCREENSHOT.png STEPS HOLDER [TEXT]
       cdp.py probe CHROMIUM PAGE.html SCREENSHOT.png (STEPS KEY WORDS)...
       cdp.py moments CHROMIUM PAGE.html SCREENSHOT.png DLSYNC DB --at X... --grammar S...

Loads PAGE, checks the state panel says the lease is free, presses Right
STEPS times and checks the panel's lease row names HOLDER, presses Left once
and checks it changed back, presses `n` (next epoch) and checks the cursor
moved to an op_begin, clicks nothing; if TEXT is given, checks the panel
(after End) contains TEXT literally (hostile names).  Saves a screenshot.

probe: loads PAGE; for each triple presses Right STEPS times (0: none, so a
first triple with 0 checks the state before the first event) and checks that
the state panel's item KEY (replay/describe.h) contains WORDS; saves a
screenshot.

moments: loads PAGE (of the whole run of DB); for each moment X types X in
the page's "at" box and checks that the state panel says what
`DLSYNC state DB --at X` says (whitespace normalised); then for each string
S checks that the page's parser (parseMoment) refuses S exactly when
`DLSYNC state DB --at S` refuses it as a bad value (exit 2), and that the
page says so beside the box.

Prints PASS/FAIL lines; exit status 1 if any failed.  Every wait is bounded.
"""
import base64
import json
import os
import subprocess
import sys
import tempfile
import time

probe = sys.argv[1] == "probe"
moments = sys.argv[1] == "moments"
if moments:
    chromium, page, shot, dlsync, db = sys.argv[2:7]
    g = sys.argv.index("--grammar")
    ats, grammar = sys.argv[sys.argv.index("--at") + 1:g], sys.argv[g + 1:]
elif probe:
    chromium, page, shot = sys.argv[2:5]
    probes = [(int(sys.argv[i]), sys.argv[i + 1], sys.argv[i + 2])
              for i in range(5, len(sys.argv) - 2, 3)]
else:
    chromium, page, shot, steps, holder = sys.argv[1:6]
    steps = int(steps)
    want_text = sys.argv[6] if len(sys.argv) > 6 else None
failed = 0


def report(ok, what):
    global failed
    print(("PASS " if ok else "FAIL ") + what, flush=True)
    failed += not ok


profile = tempfile.mkdtemp(prefix="dlsync-cdp-")
to_chrome_r, to_chrome_w = os.pipe()
from_chrome_r, from_chrome_w = os.pipe()


def child_fds():
    # Through fresh numbers first: dup2 onto the same number would keep
    # close-on-exec set.
    a, b = os.dup(to_chrome_r), os.dup(from_chrome_w)
    os.dup2(a, 3)
    os.dup2(b, 4)


proc = subprocess.Popen(
    [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
     "--no-first-run", "--disable-background-networking", "--disable-component-update",
     "--disable-sync", "--user-data-dir=" + profile, "--remote-debugging-pipe",
     "--window-size=1600,1000", "about:blank"],
    preexec_fn=child_fds, close_fds=False,
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
os.close(to_chrome_r)
os.close(from_chrome_w)
out = os.fdopen(to_chrome_w, "wb", buffering=0)
inp = os.fdopen(from_chrome_r, "rb", buffering=0)
buf = b""
next_id = 0
deadline = time.time() + 60


def recv():
    global buf
    while b"\0" not in buf:
        if time.time() > deadline:
            raise TimeoutError("chromium did not answer in time")
        chunk = inp.read(65536)
        if not chunk:
            raise EOFError("chromium closed the pipe")
        buf += chunk
    msg, buf = buf.split(b"\0", 1)
    return json.loads(msg)


def call(method, params=None, session=None):
    global next_id
    next_id += 1
    m = {"id": next_id, "method": method, "params": params or {}}
    if session:
        m["sessionId"] = session
    out.write(json.dumps(m).encode() + b"\0")
    while True:
        r = recv()
        if r.get("id") == next_id:
            if "error" in r:
                raise RuntimeError(method + ": " + json.dumps(r["error"]))
            return r.get("result", {})


try:
    targets = call("Target.getTargets")["targetInfos"]
    tid = next(t["targetId"] for t in targets if t["type"] == "page")
    sid = call("Target.attachToTarget", {"targetId": tid, "flatten": True})["sessionId"]
    call("Page.enable", session=sid)
    call("Page.navigate", {"url": "file://" + os.path.abspath(page)}, session=sid)

    def js(expr):
        r = call("Runtime.evaluate", {"expression": expr, "returnByValue": True}, session=sid)
        return r.get("result", {}).get("value")

    for _ in range(100):  # until the page's script ran
        if js("typeof D === 'object' && document.querySelector('#state span') !== null"):
            break
        time.sleep(0.1)

    def key(k, code, vk):
        for t in ("keyDown", "keyUp"):
            call("Input.dispatchKeyEvent", {"type": t, "key": k, "code": code,
                                            "windowsVirtualKeyCode": vk}, session=sid)

    def row(k):
        return js("(document.querySelector('#state [data-key=\"%s\"]')||{}).textContent"
                  % k)

    def words(s):
        return " ".join(s.split())

    def state_cmd(at):
        return subprocess.run([dlsync, "state", db, "--at", at], capture_output=True,
                              text=True, timeout=60)

    if moments:
        for at in ats:
            js("document.getElementById('at').value = %s;"
               "document.getElementById('at').dispatchEvent(new Event('change'))"
               % json.dumps(at))
            got = words(js("document.getElementById('state').textContent") or "")
            want = state_cmd(at)
            report(want.returncode == 0 and got == words(want.stdout),
                   "at %s the panel says what dlsync state --at %s says%s"
                   % (at, at, "" if got == words(want.stdout) else
                      "\n    page:  %s\n    state: %s" % (got, words(want.stdout))))
        for s in grammar:
            page_refuses = js("parseMoment(%s) === null" % json.dumps(s))
            c_refuses = state_cmd(s).returncode == 2
            js("document.getElementById('at').value = %s;"
               "document.getElementById('at').dispatchEvent(new Event('change'))"
               % json.dumps(s))
            told = js("document.getElementById('atmsg').textContent.startsWith('not an')")
            report(page_refuses == c_refuses and told == c_refuses,
                   "'%s' is %s by the page's box as by --at (page: %s, told: %s)"
                   % (s, "refused" if c_refuses else "taken", page_refuses, told))
    elif probe:
        at = 0
        for n, k, words in probes:
            for _ in range(n):
                key("ArrowRight", "ArrowRight", 39)
            at += n
            got = row(k) or ""
            report(words in got, "%s: row '%s' says '%s' (got '%s')"
                   % ("before the first event" if at == 0 else "after %d x Right" % at,
                      k, words, got))
    else:
        lease = "(document.querySelector('#state [data-key=\"lease\"]')||{}).textContent"
        before = js(lease)
        report(before is not None and ("held by %s " % holder) not in before,
               "page loads; before any event the lease row does not name %s (got '%s')"
               % (holder, before))
        report(js("document.querySelectorAll('#main svg').length") >= 1, "page holds the inline SVG")

        for _ in range(steps):
            key("ArrowRight", "ArrowRight", 39)
        got = js(lease) or ""
        report(("held by %s " % holder) in got,
               "after %d x Right the lease row names %s (got '%s')"
               % (steps, holder, got))
        report(js("document.querySelector('.cursor') !== null"), "the cursor is drawn on the diagram")
        key("ArrowLeft", "ArrowLeft", 37)
        got2 = js(lease) or ""
        report(got2 != got, "Left steps back: the lease row changes again (got '%s')" % got2)
        key("n", "KeyN", 78)
        report(js("D.kinds[D.ev[cur][2]]") == "op_begin", "n jumps to the next epoch's op_begin")
        report(js("document.querySelector('#fields td') !== null"), "the event's fields are shown")
        if want_text is not None:
            key("End", "End", 35)
            txt = js("document.getElementById('side').textContent") or ""
            report(want_text in txt, "a hostile name shows literally in the panel")
            report(js("document.querySelectorAll('b').length") == 0,
                   "a hostile name injected no markup")
    png = call("Page.captureScreenshot", {"format": "png"}, session=sid)["data"]
    with open(shot, "wb") as f:
        f.write(base64.b64decode(png))
    report(os.path.getsize(shot) > 1000, "screenshot saved: " + shot)
except Exception as e:  # noqa: BLE001 - any failure is a test failure
    report(False, "browser test: %s" % e)
finally:
    try:
        call("Browser.close")
    except Exception:  # noqa: BLE001
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
sys.exit(1 if failed else 0)
