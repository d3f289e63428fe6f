// Reloads a page that shows work in progress (a grouping run) every few
// seconds, until the server renders it without data-refresh.
(function () {
  var s = Number(document.body.getAttribute("data-refresh"));
  if (s > 0) { setTimeout(function () { window.location.reload(); }, s * 1000); }
})();
