// IT Budget Manager single-page UI: plain JS against the backend API under /api (Caddy proxies it).
"use strict";
const $ = (s) => document.querySelector(s);

async function api(method, path, body) {
  const r = await fetch("/api" + path, {
    method, headers: body ? { "Content-Type": "application/json" } : {}, body: body ? JSON.stringify(body) : undefined,
  });
  const type = r.headers.get("Content-Type") || "";
  const data = type.includes("json") ? await r.json() : await r.text();
  if (!r.ok) throw new Error((data && data.error) || r.status + " " + r.statusText);
  return data;
}

function cell(text, cls) { const td = document.createElement("td"); td.textContent = text; if (cls) td.className = cls; return td; }

async function loadTotals() {
  const period = $("#period").value;
  const t = await api("GET", "/totals?period=" + encodeURIComponent(period));
  const body = $("#totals tbody");
  body.replaceChildren();
  for (const c of t.cost_centres) {
    const tr = document.createElement("tr");
    tr.append(cell(c.cost_centre + " — " + c.name), cell(c.budget, "num"), cell(c.spent, "num"), cell(c.remaining, "num"));
    body.append(tr);
  }
  const tr = document.createElement("tr");
  tr.append(cell("All"), cell(t.budget, "num"), cell(t.spent, "num"), cell(t.remaining, "num"));
  tr.style.fontWeight = "bold";
  body.append(tr);
}

function formJson(form) { return Object.fromEntries(new FormData(form).entries()); }

function wire(id, send) {
  $(id).addEventListener("submit", async (e) => {
    e.preventDefault();
    try { await send(formJson(e.target)); $("#message").textContent = "saved"; $("#message").className = ""; e.target.reset(); await loadTotals(); }
    catch (err) { $("#message").textContent = err.message; $("#message").className = "error"; }
  });
}

async function main() {
  const now = new Date();
  $("#period").value = now.toISOString().slice(0, 7);
  $("#period").addEventListener("change", () => loadTotals().catch((e) => ($("#status").textContent = e.message)));
  wire("#centre-form", (v) => api("POST", "/cost-centres", v));
  wire("#budget-form", (v) => api("POST", "/budgets", { ...v, period: $("#period").value }));
  wire("#expense-form", (v) => api("POST", "/expenses", v));
  try {
    const v = await api("GET", "/version");
    $("#version").textContent = `${v.version} (${v.git_sha}), schema V${v.schema}, modules: ${v.modules.join(", ") || "none"}, licensed to ${v.licensed_to}`;
    const ready = await fetch("/api/readyz").then((r) => r.json());
    $("#status").textContent = ready.ready ? "ready" : "not ready: " + JSON.stringify(ready);
    await loadTotals();
  } catch (e) {
    $("#status").textContent = "backend unavailable: " + e.message;
    $("#status").className = "error";
  }
}
main();
