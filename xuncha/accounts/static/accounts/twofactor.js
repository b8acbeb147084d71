// Print the recovery codes: <button data-xc-print>.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-xc-print]")) window.print();
});
