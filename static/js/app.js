// Hospital Ops page behaviour. No inline scripts: the content security policy allows only our files.
(function () {
  "use strict";

  // <form data-confirm="Remove this skill?"> asks before it submits.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
