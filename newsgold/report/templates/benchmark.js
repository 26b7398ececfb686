(function () {
  var sel = function (id) { return document.getElementById(id); };
  var system = sel("f-system"), layer = sel("f-layer"), label = sel("f-label"), kind = sel("f-kind");
  function apply() {
    var s = system.value, l = layer.value, lb = label.value, k = kind.value;
    document.querySelectorAll(".panel").forEach(function (p) {
      p.hidden = !(p.dataset.system === s && p.dataset.layer === l);
    });
    document.querySelectorAll(".panel mark").forEach(function (m) {
      var ok = (lb === "" || m.dataset.label === lb) && (k === "" || m.dataset.kind === k);
      m.classList.toggle("dim", !ok);
    });
    document.querySelectorAll(".panel tr.error-row, .panel g.bar-row").forEach(function (r) {
      var ok = (lb === "" || r.dataset.label === lb || r.dataset.goldLabel === lb) &&
               (k === "" || !r.dataset.kind || r.dataset.kind === k);
      r.classList.toggle("filtered", !ok);
      if (r.tagName.toLowerCase() === "tr") { r.hidden = !ok; } else { r.style.opacity = ok ? "1" : "0.15"; }
    });
    var shown = document.querySelectorAll(".panel:not([hidden]) tr.error-row:not([hidden])").length;
    sel("f-count").textContent = shown + " error(s) shown";
    var none = document.querySelector(".panel:not([hidden])") === null;
    sel("no-panel").hidden = !none;
  }
  [system, layer, label, kind].forEach(function (e) { e.addEventListener("change", apply); });
  apply();
})();
