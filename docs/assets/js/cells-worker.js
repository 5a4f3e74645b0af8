// The book's Python, in a Web Worker: the page never freezes, and Stop can end it.
//
// Everything comes from the site itself (the folder assets/pyodide/, whose absolute URL
// the page sends): the Pyodide core and its lock, NumPy (checked by Pyodide against the
// lock's sha256), array_api_compat (vendored.json) and the book's own wheel, built from
// src/ with the site (backprop_book.json). Never a CDN.
//
// Messages in:  {type: "run", runId, runtime, steps: [{name, code, session, own}]}
//   runs the steps in order; a step's namespace is its session's (null: a fresh one);
//   stops at the first step that raises.
// Messages out: {type: "status" | "out" | "err", runId, text}
//               {type: "step", runId, text, own}: the output that follows is this step's
//               {type: "done", runId, ok, failedAt, seconds, loadSeconds}

"use strict";

let pyodide = null; // the loaded interpreter, once
let loading = null; // its promise while it loads
const sessions = new Map(); // session name -> Python dict
let current = null; // the runId that output belongs to
let queue = Promise.resolve();

const post = (type, runId, extra) => self.postMessage(Object.assign({ type, runId }, extra));

const RUNNER = `
import sys, traceback

def _book_run(code, namespace, name):
    """Run code in namespace; on an exception print the reader's part of the traceback."""
    try:
        exec(compile(code, name, "exec"), namespace)
        return True
    except BaseException:
        kind, value, tb = sys.exc_info()
        traceback.print_exception(kind, value, tb.tb_next)
        return False
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
`;

async function load(runtime, runId) {
  const started = performance.now();
  post("status", runId, { text: "Starting Python in this page (the first Run takes a few seconds)..." });
  importScripts(runtime + "pyodide.js");
  const py = await self.loadPyodide({
    indexURL: runtime,
    lockFileURL: runtime + "pyodide-lock.json",
    stdout: (text) => post("out", current, { text: text + "\n" }),
    stderr: (text) => post("err", current, { text: text + "\n" }),
  });
  const [vendored, book] = await Promise.all(
    ["vendored.json", "backprop_book.json"].map(async (name) => {
      const response = await fetch(runtime + name);
      if (!response.ok) throw new Error(`${runtime + name}: HTTP ${response.status}`);
      return response.json();
    }),
  );
  const wheels = Object.keys(vendored.pypi).map((file) => runtime + file);
  // numpy by name: Pyodide finds it next to the lock and checks its sha256
  await py.loadPackage(["numpy", ...wheels, runtime + book.wheel], {
    messageCallback: () => {},
    errorCallback: (text) => post("err", runId, { text: text + "\n" }),
  });
  py.runPython(RUNNER);
  return { py, seconds: (performance.now() - started) / 1000 };
}

async function run(message) {
  const { runId, runtime, steps } = message;
  current = runId;
  let loadSeconds = 0;
  try {
    if (pyodide === null) {
      loading = loading || load(runtime, runId);
      const loaded = await loading;
      pyodide = loaded.py;
      loadSeconds = loaded.seconds;
    }
  } catch (error) {
    loading = null;
    post("err", runId, { text: `Python could not start in this page: ${error && error.message}\n` });
    post("done", runId, { ok: false, failedAt: -1, seconds: 0, loadSeconds });
    return;
  }
  const started = performance.now();
  const runBlock = pyodide.globals.get("_book_run");
  const dict = pyodide.globals.get("dict");
  let failedAt = -1;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    post("step", runId, { text: step.name, own: step.own });
    let namespace;
    if (step.session === null) {
      namespace = dict();
    } else {
      if (!sessions.has(step.session)) sessions.set(step.session, dict());
      namespace = sessions.get(step.session);
    }
    namespace.set("__name__", "__main__");
    const ok = runBlock(step.code, namespace, `<${step.name}>`);
    if (step.session === null) namespace.destroy();
    if (!ok) {
      failedAt = i;
      break;
    }
  }
  runBlock.destroy();
  dict.destroy();
  post("done", runId, {
    ok: failedAt < 0, failedAt, seconds: (performance.now() - started) / 1000, loadSeconds,
  });
}

self.onmessage = (event) => {
  if (event.data && event.data.type === "run") queue = queue.then(() => run(event.data));
};
