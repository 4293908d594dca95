// Roster grid: arrow keys move between cells, focus selects the code so typing replaces it, and
// refused edits (400/409/422) still swap in the cell with its reason. Every part of a cell answer
// arrives out of band (the cell, its row's hours, coverage, rule checks, measures). Loaded as a file (CSP).
(function () {
  "use strict";

  var MOVES = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };

  function cellAt(grid, row, col) {
    return grid.querySelector('.cell-input[data-row="' + row + '"][data-col="' + col + '"]');
  }

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("cell-input")) {
      return;
    }
    var move = MOVES[event.key];
    if (event.key === "Enter") {
      move = [event.shiftKey ? -1 : 1, 0];
    }
    if (!move || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    var grid = input.closest(".roster-grid");
    var next = cellAt(grid, Number(input.dataset.row) + move[0], Number(input.dataset.col) + move[1]);
    if (next) {
      event.preventDefault();
      next.focus();
    } else if (event.key === "Enter") {
      event.preventDefault();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });

  document.addEventListener("focusin", function (event) {
    if (event.target.classList && event.target.classList.contains("cell-input")) {
      event.target.select();
    }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var source = event.detail.elt;
    if (source && source.classList && source.classList.contains("cell-input") &&
        (status === 400 || status === 409 || status === 422)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
