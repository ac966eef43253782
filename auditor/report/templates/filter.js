(function () {
  var rank = {info: 0, warning: 1, error: 2};
  var controls = document.querySelectorAll('[data-filter]');
  function value(name) {
    var control = document.querySelector('[data-filter="' + name + '"]');
    if (!control) return '';
    return control.type === 'checkbox' ? (control.checked ? 'new' : '') : control.value;
  }
  function apply() {
    var least = value('severity'), kind = value('kind'), doc = value('document'),
        status = value('status'), words = value('search').trim().toLowerCase();
    var shown = 0;
    document.querySelectorAll('article.finding').forEach(function (a) {
      var ok = (!least || rank[a.dataset.severity] >= rank[least]) &&
               (!kind || a.dataset.kind === kind) &&
               (!doc || a.dataset.document === doc) &&
               (!status || a.dataset.status === status) &&
               (!words || a.textContent.toLowerCase().indexOf(words) !== -1);
      a.hidden = !ok;
      if (ok) {
        shown++;
        if (words) { var d = a.querySelector('details'); if (d) d.open = true; }
      }
    });
    document.querySelectorAll('section.document').forEach(function (s) {
      s.hidden = !s.querySelector('article.finding:not([hidden])');
    });
    var verified = 0;
    document.querySelectorAll('tr.verified').forEach(function (r) {
      var ok = (!doc || r.dataset.document === doc) && (!kind || r.dataset.kind === kind) &&
               (!words || r.textContent.toLowerCase().indexOf(words) !== -1);
      r.hidden = !ok;
      if (ok) verified++;
    });
    var counter = document.getElementById('shown');
    if (counter) counter.textContent = String(shown);
    var counted = document.getElementById('verified-shown');
    if (counted) counted.textContent = String(verified);
  }
  controls.forEach(function (c) { c.addEventListener(c.tagName === 'INPUT' && c.type !== 'checkbox' ? 'input' : 'change', apply); });
  apply();
  document.documentElement.setAttribute('data-filters', 'ready');
})();
