(function () {
  var sel = function (id) { return document.getElementById(id); };
  var system = sel("f-system"), layer = sel("f-layer"), label = sel("f-label"), kind = sel("f-kind");
  var panels = Array.prototype.slice.call(document.querySelectorAll(".panel"));
  function find(s, l) {
    return panels.filter(function (p) { return p.dataset.system === s && (l === null || p.dataset.layer === l); });
  }
  function apply(event) {
    // a system chosen without the current layer: show its first layer
    if ((!event || event.target === system) && find(system.value, layer.value).length === 0) {
      var first = find(system.value, null)[0];
      if (first) { layer.value = first.dataset.layer; }
    }
    var s = system.value, l = layer.value, lb = label.value, k = kind.value;
    panels.forEach(function (p) { p.hidden = !(p.dataset.system === s && p.dataset.layer === l); });
    document.querySelectorAll(".panel .text mark").forEach(function (m) {
      var ok = (lb === "" || m.dataset.label === lb) && (k === "" || m.dataset.kind === k);
      m.classList.toggle("dim", !ok);
    });
    document.querySelectorAll(".panel tr.error-row").forEach(function (r) {
      var ok = (lb === "" || r.dataset.label === lb || r.dataset.goldLabel === lb) &&
               (k === "" || r.dataset.kind === k);
      r.hidden = !ok;
    });
    document.querySelectorAll(".panel g.bar-row").forEach(function (g) {
      g.style.opacity = (lb === "" || g.dataset.label === lb) ? "1" : "0.2";
    });
    var shown = document.querySelectorAll(".panel:not([hidden]) tr.error-row:not([hidden])").length;
    sel("f-count").textContent = shown + " error(s) shown";
    sel("no-panel").hidden = find(s, l).length > 0;
  }
  [system, layer, label, kind].forEach(function (e) { e.addEventListener("change", apply); });
  apply(null);
})();
