// Cells: run the book's code where it is read.
//
// The build (docs/hooks/cells.py) lists a page's runnable blocks in
// <script type="application/json" id="book-cells">: exercise stubs and shown blocks, in
// page order. Here each exercise stub becomes an editable cell at once, and each shown
// block gets an "Edit and run" button that turns it into one. Python runs in a Web
// Worker (cells-worker.js) that is created on the first Run: a reader who never presses
// Run downloads nothing of the runtime. Stop terminates the worker; the next Run starts
// a fresh one. The shown blocks of one session share its namespace; a shown block runs
// the shown blocks above it first, once per worker, as the build ran them.

(function () {
  "use strict";

  const script = document.currentScript; // only known while this file first runs
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => setUp(script));
  else setUp(script);
})();

function setUp(script) {
  "use strict";

  // The build puts the page's data after the scripts, at the end of <body>.
  const data = document.getElementById("book-cells");
  if (!script || !data) return;
  // Relative to this script, so the book works under any subpath.
  const RUNTIME = new URL("../pyodide/", script.src).href;
  const WORKER = new URL("cells-worker.js", script.src).href;
  const FROM_FILE = location.protocol === "file:";
  const SERVE_NOTE =
    "Python runs in this page only when the book is served over http: a browser will not " +
    "load the Python runtime from a file:// page. In the book's folder, run `make serve` " +
    "and open http://127.0.0.1:8000/ (or serve the built site/ folder with " +
    "`python -m http.server`).";

  const cells = JSON.parse(data.textContent).cells;
  const bySession = new Map(); // session -> its shown blocks, in page order
  for (const cell of cells) {
    if (cell.kind !== "shown" || cell.session === null) continue;
    if (!bySession.has(cell.session)) bySession.set(cell.session, []);
    bySession.get(cell.session).push(cell);
  }

  let worker = null;
  let nextRun = 1;
  const pending = new Map(); // runId -> the cell's controller
  const progress = new Map(); // session -> how many of its shown blocks this worker has run

  // ------------------------------------------------------------ the worker

  function ensureWorker() {
    if (worker) return worker;
    worker = new Worker(WORKER);
    worker.onmessage = (event) => {
      const message = event.data;
      const cell = pending.get(message.runId);
      if (cell) cell.receive(message);
      if (message.type === "done") pending.delete(message.runId);
    };
    worker.onerror = (event) => {
      for (const cell of pending.values()) cell.fail(`The Python worker failed: ${event.message}`);
      pending.clear();
      stopWorker();
    };
    return worker;
  }

  function stopWorker() {
    if (worker) worker.terminate();
    worker = null;
    progress.clear();
  }

  // The steps of one Run: the shown blocks of the session above this one that this
  // worker has not run yet (a block the page cannot run is skipped), then the cell.
  function stepsFor(cell, code) {
    const own = { name: cell.id, code, session: cell.session, own: true };
    const list = cell.session === null ? null : bySession.get(cell.session);
    if (!list) return { steps: [own], skipped: [] };
    const k = list.indexOf(cell);
    const steps = [];
    const skipped = [];
    for (let j = progress.get(cell.session) || 0; j < k; j++) {
      if (list[j].needs.length) skipped.push(list[j]);
      else steps.push({ name: list[j].id, code: list[j].code, session: cell.session, own: false, index: j });
    }
    steps.push(Object.assign(own, { index: k }));
    progress.set(cell.session, Math.max(progress.get(cell.session) || 0, k + 1));
    return { steps, skipped };
  }

  // ------------------------------------------------------------ one cell

  function element(tag, attributes, text) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) el.setAttribute(name, value);
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function makeCell(cell, n, codeBlock) {
    const id = `book-cell-${n}`;
    const box = element("div", { class: "book-cell", "data-cell": cell.id, "data-kind": cell.kind });
    const what = cell.kind === "exercise"
      ? "Your answer: edit the code, then Run checks it in this page"
      : `Block ${cell.id}: edit and Run it in this page (the blocks above run first)`;
    const label = element("label", { for: `${id}-code`, class: "book-cell__label" }, what);
    const editor = element("textarea", {
      id: `${id}-code`, class: "book-cell__code", spellcheck: "false", autocapitalize: "off",
      autocomplete: "off", "aria-describedby": `${id}-keys`,
    });
    editor.value = cell.code;
    const fit = () => { editor.rows = Math.min(40, Math.max(3, editor.value.split("\n").length)); };
    fit();
    editor.addEventListener("input", fit);
    const bar = element("div", { class: "book-cell__bar" });
    const run = element("button", { type: "button", class: "md-button md-button--primary book-cell__run" }, "Run");
    const reset = element("button", { type: "button", class: "md-button book-cell__reset" }, "Reset");
    const stop = element("button", { type: "button", class: "md-button book-cell__stop", disabled: "" }, "Stop");
    const keys = element("span", { id: `${id}-keys`, class: "book-cell__keys" }, "Ctrl+Enter runs; Tab leaves the editor");
    const status = element("span", { class: "book-cell__status", role: "status", "aria-live": "polite" });
    bar.append(run, reset, stop, keys, status);
    const output = element("pre", {
      class: "book-cell__output", role: "status", "aria-live": "polite", "aria-label": `Output of ${cell.id}`,
      tabindex: "0",
    });
    box.append(label, editor, bar, output);

    let runId = null;
    const say = (text) => { status.textContent = text; };
    let above = false; // writing the output of a block above, run first
    const write = (text, kind) => {
      const classes = [kind && `book-cell__${kind}`, above && "book-cell__above"].filter(Boolean);
      output.append(element("span", classes.length ? { class: classes.join(" ") } : {}, text));
    };
    // A focused button that becomes disabled drops the focus to the page's start: the
    // keyboard's place moves from Run to Stop while the cell runs, and back when it ends.
    const idle = () => {
      const onStop = document.activeElement === stop;
      runId = null; above = false; run.disabled = false; stop.disabled = true; box.removeAttribute("aria-busy");
      if (onStop) run.focus();
    };

    const controller = {
      receive(message) {
        if (message.type === "status") say(message.text);
        else if (message.type === "out") write(message.text);
        else if (message.type === "err") write(message.text, "err");
        else if (message.type === "step") {
          above = !message.own;
          if (above) write(`# running ${message.text} (a block above) first\n`, "step");
        }
        else if (message.type === "done") this.done(message);
      },
      done(message) {
        const own = message.failedAt === this.steps.length - 1;
        if (!message.ok && !own && message.failedAt >= 0) {
          // the blocks after the one that failed did not run: the next Run tries them again
          const failed = this.steps[message.failedAt];
          progress.set(cell.session, Math.min(progress.get(cell.session) || 0, failed.index + 1));
          say(`Stopped at ${failed.name}, a block above, which raised (see the output).`);
        } else if (!message.ok && message.failedAt >= 0) {
          say("Raised an exception (see the output).");
        } else if (!message.ok) {
          say("Python could not start (see the output).");
        } else {
          const start = message.loadSeconds ? `, after ${message.loadSeconds.toFixed(1)} s starting Python` : "";
          say(`Ran in ${message.seconds.toFixed(2)} s${start}.`);
        }
        box.dataset.seconds = message.seconds;
        box.dataset.loadSeconds = message.loadSeconds;
        box.dataset.state = message.ok ? "ran" : "failed";
        if (!output.textContent) write(message.ok ? "(no output)\n" : "");
        idle();
      },
      fail(text) {
        write(text + "\n", "err");
        say("Failed.");
        box.dataset.state = "failed";
        idle();
      },
      stopped(byThisCell) {
        write(byThisCell
          ? "\nStopped: this page's Python was ended. The next Run starts a fresh one (the blocks above run again first).\n"
          : "\nStopped: another cell's Stop ended this page's Python before this one ran.\n", "err");
        say("Stopped.");
        box.dataset.state = "stopped";
        idle();
      },
    };

    run.addEventListener("click", () => {
      const onRun = document.activeElement === run;
      output.textContent = "";
      if (FROM_FILE) {
        write(SERVE_NOTE + "\n", "err");
        say("Not run: the page was opened from a file.");
        box.dataset.state = "file";
        return;
      }
      const { steps, skipped } = stepsFor(cell, editor.value);
      for (const block of skipped)
        write(`# skipped ${block.id} (a block above): it needs ${block.needs.join(", ")}, which this page cannot load\n`, "step");
      controller.steps = steps;
      runId = nextRun++;
      pending.set(runId, controller);
      run.disabled = true;
      stop.disabled = false;
      if (onRun) stop.focus();
      box.setAttribute("aria-busy", "true");
      box.dataset.state = "running";
      say(worker ? "Running..." : "Starting Python...");
      ensureWorker().postMessage({ type: "run", runId, runtime: RUNTIME, steps });
    });
    stop.addEventListener("click", () => {
      const others = [...pending.values()].filter((c) => c !== controller);
      pending.clear();
      stopWorker();
      controller.stopped(true);
      for (const other of others) other.stopped(false);
      run.focus();
    });
    reset.addEventListener("click", () => {
      editor.value = cell.code;
      fit();
      if (runId === null) { output.textContent = ""; say(""); delete box.dataset.state; }
      editor.focus();
    });
    editor.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        if (!run.disabled) run.click();
      }
    });
    if (FROM_FILE) say("Opened from a file: Run will say how to serve the book.");
    codeBlock.before(box);
    codeBlock.hidden = true;
    return { box, editor };
  }

  // ------------------------------------------------------------ finding the blocks

  const norm = (s) => s.replace(/\s+/g, " ").trim();
  const article = document.querySelector("article") || document.body;
  const blocks = [...article.querySelectorAll("div.highlight")].filter(
    (el) => !el.parentElement.closest("div.highlight"));
  const codeOf = (el) => norm((el.querySelector("pre > code") || el.querySelector("pre") || el).textContent);

  let cursor = 0;
  cells.forEach((cell, n) => {
    const code = norm(cell.code);
    const at = blocks.findIndex((el, i) => i >= cursor && codeOf(el) === code);
    if (at < 0) return; // not on the page as written (the build changed it): no cell
    cursor = at + 1;
    const codeBlock = blocks[at];
    codeBlock.dataset.cell = cell.id;
    if (cell.kind === "exercise") {
      makeCell(cell, n, codeBlock);
      return;
    }
    const bar = element("div", { class: "book-cell-open" });
    if (cell.needs.length) {
      bar.append(element("span", { class: "book-cell-open__note" },
        `Needs ${cell.needs.join(", ")}, which this page cannot load: run it in a local Python.`));
    } else {
      const open = element("button", { type: "button", class: "md-button book-cell-open__button" }, "Edit and run");
      open.setAttribute("aria-label", `Edit and run ${cell.id} in this page`);
      open.addEventListener("click", () => makeCell(cell, n, codeBlock).editor.focus());
      bar.append(open);
    }
    codeBlock.append(bar);
  });
}
