// casebook's only script of its own: the print button of a checklist, and the search
// page's status line. Everything else works without JavaScript; htmx (vendor/) adds
// results-as-you-type to the search form.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// Results typed in are swapped in whole; the count is told once, in the status element
// that stays in place (a live region swapped with the results would say nothing or all).
document.addEventListener("htmx:afterSwap", function () {
  var status = document.getElementById("search-status");
  var count = document.getElementById("results-count");
  if (status && count) {
    status.textContent = count.textContent;
  }
});
