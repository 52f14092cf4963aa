// casebook's only script of its own: the print button of a checklist. Everything else
// works without JavaScript; htmx (vendor/) adds results-as-you-type to the search form.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
