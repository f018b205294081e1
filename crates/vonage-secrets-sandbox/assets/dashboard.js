// The sandbox's dashboard: renders /_sandbox/state every second and sends changes to the
// control API with the session's CSRF token. Everything is written with textContent.
"use strict";

(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const me = document.getElementById("signed-in-as").textContent;
  let viewing = me;
  let last = null;
  // What each table shows now: a table is rebuilt only when its data changes, so that its
  // buttons stay where they are between two polls.
  const shown = {};

  function changed(table, data) {
    const key = JSON.stringify(data);
    if (shown[table] === key) return false;
    shown[table] = key;
    return true;
  }

  const $ = (id) => document.getElementById(id);

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function show(target, text, ok) {
    const box = $(target);
    box.textContent = text;
    box.className = text ? (ok ? "ok" : "error") : "";
  }

  // A problem document in words: its title, detail and the reasons of invalid parameters.
  async function problemText(response) {
    try {
      const p = await response.json();
      let text = (p.title ? p.title + ": " : "") + (p.detail || "");
      for (const ip of p.invalid_parameters || []) {
        text += " (" + ip.name + ": " + ip.reason + ")";
      }
      return text || "The sandbox answered " + response.status;
    } catch (_) {
      return "The sandbox answered " + response.status;
    }
  }

  async function send(method, path, body) {
    const init = { method, headers: { "X-CSRF-Token": csrf }, credentials: "same-origin" };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(path, init);
  }

  function keyPath(key) {
    return "/_sandbox/accounts/" + encodeURIComponent(key);
  }

  const trash =
    '<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path fill="currentColor" ' +
    'd="M9 3h6l1 2h4v2H4V5h4l1-2zm-3 6h12l-1 12H7L6 9zm4 2v8h1.5v-8H10zm3.5 0v8H15v-8h-1.5z"/></svg>';

  function renderAccounts(state) {
    const accounts = state.accounts;
    const select = $("account");
    if (!accounts.some((a) => a.api_key === viewing)) viewing = me;
    const keys = accounts.map((a) => a.api_key);
    if (select.dataset.keys !== keys.join("\n")) {
      select.textContent = "";
      for (const a of accounts) {
        const label = a.primary_api_key ? a.api_key + " (secondary of " + a.primary_api_key + ")" : a.api_key;
        const o = el("option", label);
        o.value = a.api_key;
        select.appendChild(o);
      }
      select.dataset.keys = keys.join("\n");
    }
    select.value = viewing;
    $("account-switch").hidden = accounts.length < 2;
    $("viewing").textContent = viewing;

    const account = accounts.find((a) => a.api_key === viewing);
    if (!changed("secrets", [viewing, account])) return;
    const body = $("secrets").querySelector("tbody");
    body.textContent = "";
    const secrets = account ? account.secrets : [];
    secrets.forEach((s, i) => {
      const row = el("tr");
      row.dataset.id = s.id;
      row.appendChild(el("td", "API Secret " + (i + 1), "name"));
      row.appendChild(el("td", s.id, "mono"));
      row.appendChild(el("td", s.created_at.replace("T", " ").replace("Z", " UTC"), "nowrap"));
      const cell = el("td", null, "actions");
      const button = el("button", null, "icon revoke");
      button.type = "button";
      button.title = "Revoke " + s.id;
      button.setAttribute("aria-label", "Revoke API Secret " + (i + 1));
      button.innerHTML = trash;
      button.addEventListener("click", () => revoke(s.id));
      cell.appendChild(button);
      row.appendChild(cell);
      body.appendChild(row);
    });
  }

  function renderFaults(state) {
    if (!changed("faults", state.faults)) return;
    const body = $("faults").querySelector("tbody");
    body.textContent = "";
    if (state.faults.length === 0) {
      const row = el("tr");
      const cell = el("td", "None: every request is answered normally.", "empty");
      cell.colSpan = 3;
      row.appendChild(cell);
      body.appendChild(row);
    }
    for (const f of state.faults) {
      const row = el("tr");
      row.appendChild(el("td", f.description));
      row.appendChild(el("td", f.operation || "every request"));
      row.appendChild(el("td", f.remaining === null ? "until cleared" : f.remaining));
      body.appendChild(row);
    }
  }

  function renderRequests(state) {
    if (!changed("requests", state.requests)) return;
    const body = $("requests").querySelector("tbody");
    body.textContent = "";
    if (state.requests.length === 0) {
      const row = el("tr");
      const cell = el("td", "No requests yet.", "empty");
      cell.colSpan = 6;
      row.appendChild(cell);
      body.appendChild(row);
    }
    for (const r of state.requests.slice().reverse()) {
      const row = el("tr");
      row.appendChild(el("td", r.at.replace("T", " ").replace("Z", ""), "mono nowrap"));
      row.appendChild(el("td", r.method));
      row.appendChild(el("td", r.path, "mono"));
      const status = r.status === null ? "no response" : r.status;
      row.appendChild(el("td", status, r.status !== null && r.status < 400 ? "good" : "bad"));
      row.appendChild(el("td", r.account || ""));
      row.appendChild(el("td", r.fault || ""));
      body.appendChild(row);
    }
  }

  function renderVoximplant(state) {
    const accounts = state.voximplant || [];
    if (!changed("voximplant-secrets", accounts)) return;
    const body = $("voximplant-secrets").querySelector("tbody");
    body.textContent = "";
    for (const a of accounts) {
      for (const app of a.applications) {
        const secrets = app.secrets.length ? app.secrets : [null];
        for (const s of secrets) {
          const row = el("tr");
          row.appendChild(el("td", a.account_id + " (" + a.account_email + ")"));
          row.appendChild(el("td", app.application_name + " (id " + app.application_id + ")"));
          row.appendChild(el("td", s ? s.secret_name : "no secrets yet", s ? "mono" : "hint"));
          row.appendChild(el("td", s ? s.secret_id : ""));
          row.appendChild(el("td", s && s.description ? s.description : ""));
          row.appendChild(el("td", s ? s.created + " UTC" : "", "nowrap"));
          body.appendChild(row);
        }
      }
    }
  }

  async function refresh() {
    try {
      const response = await fetch("/_sandbox/state", { credentials: "same-origin", cache: "no-store" });
      if (response.status === 401) {
        window.location.assign("/dashboard");
        return;
      }
      if (!response.ok) return;
      last = await response.json();
      renderAccounts(last);
      renderFaults(last);
      renderRequests(last);
      renderVoximplant(last);
    } catch (_) {
      // The sandbox stopped or is busy: try again at the next tick.
    }
  }

  async function revoke(id) {
    const response = await send("DELETE", keyPath(viewing) + "/secrets/" + encodeURIComponent(id));
    if (response.status === 204) show("message", "Secret " + id + " revoked.", true);
    else show("message", await problemText(response), false);
    refresh();
  }

  $("add-secret").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = $("new-secret");
    const response = await send("POST", keyPath(viewing) + "/secrets", { secret: input.value });
    if (response.status === 201) {
      const s = await response.json();
      input.value = "";
      show("message", "Secret " + s.id + " added.", true);
    } else {
      show("message", await problemText(response), false);
    }
    refresh();
  });

  $("account").addEventListener("change", (event) => {
    viewing = event.target.value;
    show("message", "", true);
    if (last) renderAccounts(last);
  });

  $("fault-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const kind = $("fault-kind").value;
    const fault = { kind };
    if (kind === "status") {
      fault.status = Number($("fault-status").value);
      if ($("fault-retry-after").value !== "") fault.retry_after = Number($("fault-retry-after").value);
    }
    if (kind === "delay") fault.delay_ms = Number($("fault-delay").value);
    if ($("fault-operation").value) fault.operation = $("fault-operation").value;
    if ($("fault-always").checked) fault.always = true;
    else fault.times = Number($("fault-times").value);
    const response = await send("POST", "/_sandbox/faults", fault);
    if (response.status === 201) show("fault-message", "Fault injected: " + (await response.json()).description + ".", true);
    else show("fault-message", await problemText(response), false);
    refresh();
  });

  $("clear-faults").addEventListener("click", async () => {
    const response = await send("DELETE", "/_sandbox/faults");
    if (response.status === 204) show("fault-message", "Faults cleared.", true);
    else show("fault-message", await problemText(response), false);
    refresh();
  });

  refresh();
  setInterval(refresh, 1000);
})();
