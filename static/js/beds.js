// The bed board's unit menu goes straight to the chosen unit's board.
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-navigate]");
  if (select && select.value.startsWith("/")) window.location.assign(select.value);
});
