// Portolan: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // Filter forms drop their empty fields on submit, so shared URLs stay short and readable.
  function tidyGetForms() {
    Array.prototype.forEach.call(document.querySelectorAll("form.filters"), function (form) {
      form.addEventListener("submit", function () {
        Array.prototype.forEach.call(form.elements, function (field) {
          if (field.name && !field.value) field.disabled = true;
        });
      });
    });
    // Coming back through the history cache must not leave fields disabled.
    window.addEventListener("pageshow", function () {
      Array.prototype.forEach.call(document.querySelectorAll("form.filters [disabled]"), function (field) {
        field.disabled = false;
      });
    });
  }

  function init() {
    document.documentElement.classList.add("js");
    tidyGetForms();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
